package io.m31r.release.report;

import io.m31r.release.version.Semver;
import java.util.List;
import java.util.Map;

/**
 * Everything the approval report shows about one release. All values come from the pipeline's
 * own results; the report adds nothing of its own (no clock), so the same input renders the same
 * bytes.
 *
 * @param version a semantic version; it also names the report file
 * @param releaseType {@code A} (model, the only production type), {@code B} (tooling), {@code C}
 *     (patch) or {@code D} (experimental)
 * @param outcome {@code published} or {@code blocked: <reason>}; a release with a failed gate or a
 *     blocking regression cannot be {@code published}
 */
public record ReleaseReport(
    Semver version,
    String releaseType,
    String outcome,
    List<KeyFact> keyFacts,
    List<CategoryMetrics> categories,
    List<MetricComparison> comparisons,
    List<GateResult> gates,
    List<StageTiming> stageTimings) {

  public static final String PUBLISHED = "published";
  public static final String BLOCKED_PREFIX = "blocked: ";

  private static final Map<String, String> TYPES =
      Map.of(
          "A", "Type A: model release (production)",
          "B", "Type B: tooling release",
          "C", "Type C: patch release",
          "D", "Type D: experimental (non-stable)");

  public ReleaseReport {
    if (version == null) {
      throw new InvalidReportException("version: missing");
    }
    if (releaseType == null || !TYPES.containsKey(releaseType)) {
      throw new InvalidReportException("release type: must be one of A, B, C, D, got " + quoted(releaseType));
    }
    if (outcome == null
        || !(outcome.equals(PUBLISHED)
            || outcome.startsWith(BLOCKED_PREFIX) && !outcome.substring(BLOCKED_PREFIX.length()).isBlank())) {
      throw new InvalidReportException(
          "outcome: must be 'published' or 'blocked: <reason>', got " + quoted(outcome));
    }
    keyFacts = Checks.list(keyFacts, "key facts");
    categories = Checks.list(categories, "categories");
    comparisons = Checks.list(comparisons, "comparisons");
    gates = Checks.list(gates, "gates");
    stageTimings = Checks.list(stageTimings, "stage timings");
    Checks.unique(keyFacts, KeyFact::label, "key facts");
    Checks.unique(categories, CategoryMetrics::category, "categories");
    Checks.unique(comparisons, MetricComparison::metric, "comparisons");
    Checks.unique(stageTimings, StageTiming::stage, "stage timings");
    if (outcome.equals(PUBLISHED)) {
      for (GateResult g : gates) {
        if (!g.passed()) {
          throw new InvalidReportException("outcome: 'published' contradicts failed gate '" + g.gate() + "'");
        }
      }
      for (MetricComparison c : comparisons) {
        if (c.blocks()) {
          throw new InvalidReportException("outcome: 'published' contradicts blocking comparison '" + c.metric() + "'");
        }
      }
    }
  }

  public boolean published() {
    return outcome.equals(PUBLISHED);
  }

  /** The reason given after {@code blocked: }; empty for a published release. */
  public String blockedReason() {
    return published() ? "" : outcome.substring(BLOCKED_PREFIX.length());
  }

  public String releaseTypeDescription() {
    return TYPES.get(releaseType);
  }

  private static String quoted(String s) {
    return s == null ? "nothing" : "'" + s + "'";
  }
}
