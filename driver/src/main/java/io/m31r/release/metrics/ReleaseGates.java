package io.m31r.release.metrics;

import io.m31r.release.failure.GateFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's release gates: absolute targets, and regression against the previous release,
 * where a relative move of more than {@link #MAX_RELATIVE_REGRESSION} the wrong way on any gated
 * metric blocks (a drop for rates, a rise for ms per token and memory).
 */
public final class ReleaseGates {
  public static final double MAX_RELATIVE_REGRESSION = 0.05;
  /** Keeps an exact 5.0% move (0.80 to 0.76) from blocking through rounding. */
  private static final double EPSILON = 1e-12;

  private ReleaseGates() {}

  /** @param baseline null when there is no previous release to compare with */
  public static List<GateCheck> evaluate(String suiteDigest, BenchMetrics metrics, GateTargets targets, BaselineReport baseline) {
    if (baseline != null) {
      checkComparable(suiteDigest, baseline);
    }
    Map<String, Double> values = metrics.gatedValues();
    List<GateCheck> checks = new ArrayList<>();
    checks.add(atLeast(GatedMetric.COMPILE_RATE, targets.minCompileRate(), values.get(GatedMetric.COMPILE_RATE)));
    targets.minPassAtK().forEach((k, min) -> checks.add(atLeast(GatedMetric.passAt(k), min, values.get(GatedMetric.passAt(k)))));
    checks.add(atMost(GatedMetric.MS_PER_TOKEN, targets.maxMsPerToken(), values.get(GatedMetric.MS_PER_TOKEN)));
    checks.add(atMost(GatedMetric.PEAK_MEMORY_BYTES, (double) targets.maxMemoryBytes(), values.get(GatedMetric.PEAK_MEMORY_BYTES)));
    if (baseline != null) {
      baseline.gatedValues().forEach((metric, base) -> checks.add(regression(metric, base, values.get(metric))));
    }
    return checks;
  }

  /** A baseline is only comparable when measured on the very same suite (same digest). */
  public static void checkComparable(String suiteDigest, BaselineReport baseline) {
    if (!baseline.suiteDigest().equals(suiteDigest)) {
      throw new BaselineSuiteMismatchException(
          "baseline " + baseline.source() + " was measured on suite " + baseline.suiteDigest()
              + ", this run on suite " + suiteDigest + ": refusing to compare different suites");
    }
  }

  /** Throws exit 3 naming every blocking gate with its values. */
  public static void enforce(List<GateCheck> checks) {
    List<String> blocked = checks.stream().filter(GateCheck::blocked).map(GateCheck::message).toList();
    if (!blocked.isEmpty()) {
      throw new GateFailedException("release blocked by " + blocked.size() + " gate(s): " + String.join("; ", blocked));
    }
  }

  private static GateCheck atLeast(String metric, double min, Double value) {
    if (value == null) {
      return new GateCheck("target", metric, min, null, GateCheck.NOT_MEASURED, metric + " not measured in this run");
    }
    boolean ok = value >= min;
    return new GateCheck("target", metric, min, value, ok ? GateCheck.PASSED : GateCheck.BLOCKED,
        String.format(Locale.ROOT, "%s %s target: %s %s minimum %s", metric, ok ? "meets" : "below", fmt(value), ok ? ">=" : "<", fmt(min)));
  }

  private static GateCheck atMost(String metric, double max, Double value) {
    if (value == null) {
      return new GateCheck("target", metric, max, null, GateCheck.NOT_MEASURED, metric + " not measured in this run");
    }
    boolean ok = value <= max;
    return new GateCheck("target", metric, max, value, ok ? GateCheck.PASSED : GateCheck.BLOCKED,
        String.format(Locale.ROOT, "%s %s target: %s %s maximum %s", metric, ok ? "meets" : "above", fmt(value), ok ? "<=" : ">", fmt(max)));
  }

  private static GateCheck regression(String metric, double base, Double value) {
    if (value == null) {
      return new GateCheck("regression", metric, base, null, GateCheck.BLOCKED,
          metric + " regression: baseline " + fmt(base) + ", candidate not measured (cannot show it did not regress)");
    }
    boolean lower = GatedMetric.lowerIsBetter(metric);
    double move = base == 0 ? (value == 0 ? 0 : Double.POSITIVE_INFINITY) : (lower ? value - base : base - value) / base;
    if (!lower && base == 0) {
      move = 0;
    }
    boolean ok = move <= MAX_RELATIVE_REGRESSION + EPSILON;
    String what = lower ? "rise" : "drop";
    return new GateCheck("regression", metric, base, value, ok ? GateCheck.PASSED : GateCheck.BLOCKED,
        String.format(Locale.ROOT, "%s regression: baseline %s, candidate %s (relative %s %s, limit 5%%)",
            metric, fmt(base), fmt(value), what, Double.isInfinite(move) ? "unbounded" : String.format(Locale.ROOT, "%.2f%%", Math.max(0, move) * 100)));
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) >= 1e3 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.4f", v);
  }
}
