package io.m31r.release.report;

/**
 * One metric of this release against the previous one.
 *
 * @param previous null for a first release or a metric the previous release did not measure
 * @param relativeChange {@code (current - previous) / |previous|}; null when there is no previous
 *     value or it is zero
 * @param blocks whether this change blocks the release (a regression beyond the allowed limit)
 */
public record MetricComparison(String metric, Double previous, double current, Double relativeChange, boolean blocks) {

  public MetricComparison {
    Checks.nonBlank(metric, "comparison metric");
    String field = "comparison '" + metric + "': ";
    Checks.finite(current, field + "current");
    if (previous != null) {
      Checks.finite(previous, field + "previous");
    }
    if (relativeChange != null) {
      if (previous == null) {
        throw new InvalidReportException(field + "relative change: given without a previous value");
      }
      Checks.finite(relativeChange, field + "relative change");
    }
  }

  /** A comparison whose relative change is computed from the two values. */
  public static MetricComparison of(String metric, Double previous, double current, boolean blocks) {
    Double change = previous == null || previous == 0 ? null : (current - previous) / Math.abs(previous);
    return new MetricComparison(metric, previous, current, change, blocks);
  }
}
