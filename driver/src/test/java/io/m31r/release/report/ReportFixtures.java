package io.m31r.release.report;

import io.m31r.release.version.Semver;
import java.util.List;

/** Report inputs shared by the report tests; names carry the characters HTML must escape. */
final class ReportFixtures {
  static final String HOSTILE_CATEGORY = "<script>alert(\"x\")</script> & 'borrow'";
  static final String HOSTILE_REASON = "pass@1 < target & \"regressed\" <b>7.9%</b>";

  private ReportFixtures() {}

  static List<CategoryMetrics> categories() {
    return List.of(
        new CategoryMetrics("closures", 12, 0.75, 0.5, 0.7, 0.45),
        new CategoryMetrics("traits & generics", 9, 1.0, 0.0, 0.9, 0.1),
        new CategoryMetrics(HOSTILE_CATEGORY, 7, 0.5, 0.25, 0.625, 0.375),
        CategoryMetrics.current("iterators", 5, 0.8, 0.6));
  }

  static List<StageTiming> stages() {
    return List.of(
        new StageTiming("freeze", 12.5),
        new StageTiming("train-verify", 3.0),
        new StageTiming("bench <generation>", 50.0),
        new StageTiming("gates", 0.0),
        new StageTiming("publish", 25.0));
  }

  static ReleaseReport blocked() {
    return new ReleaseReport(
        Semver.parse("1.4.0-rc.1"),
        "A",
        ReleaseReport.BLOCKED_PREFIX + HOSTILE_REASON,
        List.of(
            new KeyFact("dataset version", "2026.11.0"),
            new KeyFact("model sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
            new KeyFact("git commit", "309319c4e1f0d6a2b7c3e8f9a0b1c2d3e4f5a6b7"),
            new KeyFact("tag", "v1.4.0-rc.1")),
        categories(),
        List.of(
            MetricComparison.of("compile_rate", 0.78, 0.7625, false),
            MetricComparison.of("pass@1", 0.3875, 0.357, true),
            MetricComparison.of("ms_per_token", null, 21.5, false)),
        List.of(
            new GateResult("compile_rate target", ">= 70%", "76.3%", true),
            new GateResult("pass@1 regression", "drop <= 5% vs 1.3.0", "-7.9%", false)),
        stages());
  }

  static ReleaseReport published() {
    return new ReleaseReport(
        Semver.parse("1.3.0"),
        "D",
        ReleaseReport.PUBLISHED,
        List.of(new KeyFact("dataset version", "2026.10.2")),
        List.of(CategoryMetrics.current("closures", 12, 0.7, 0.45), CategoryMetrics.current("iterators", 5, 0.9, 0.2)),
        List.of(MetricComparison.of("compile_rate", null, 0.78, false)),
        List.of(new GateResult("compile_rate target", ">= 70%", "78.0%", true)),
        List.of(new StageTiming("freeze", 10.0), new StageTiming("bench", 40.0)));
  }
}
