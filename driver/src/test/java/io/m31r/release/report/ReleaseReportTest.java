package io.m31r.release.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.m31r.release.failure.ExitCode;
import io.m31r.release.version.Semver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ReleaseReportTest {
  private static void rejects(String message, Executable build) {
    InvalidReportException e = assertThrows(InvalidReportException.class, build);
    assertEquals(message, e.getMessage());
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
  }

  private static ReleaseReport with(String version, String type, String outcome) {
    Semver v = version == null ? null : Semver.parse(version);
    ReleaseReport b = ReportFixtures.blocked();
    return new ReleaseReport(v, type, outcome, b.keyFacts(), b.categories(), b.comparisons(), b.gates(), b.stageTimings());
  }

  @Test
  void categoryRatesMustBeFiniteAndWithinZeroAndOne() {
    rejects("report category 'closures': compile_rate: must be in [0, 1], got 1.2",
        () -> CategoryMetrics.current("closures", 3, 1.2, 0.5));
    rejects("report category 'closures': pass_at_1: must be a finite number, got NaN",
        () -> CategoryMetrics.current("closures", 3, 0.5, Double.NaN));
    rejects("report category 'closures': previous pass_at_1: must be in [0, 1], got -0.1",
        () -> new CategoryMetrics("closures", 3, 0.5, 0.5, 0.5, -0.1));
    rejects("report category 'closures': previous compile_rate and pass_at_1: give both or neither",
        () -> new CategoryMetrics("closures", 3, 0.5, 0.5, 0.5, null));
    rejects("report category 'closures': tasks: must be at least 1, got 0",
        () -> CategoryMetrics.current("closures", 0, 0.5, 0.5));
    rejects("report category name: must not be blank", () -> CategoryMetrics.current(" ", 3, 0.5, 0.5));
  }

  @Test
  void namesMustNotBeBlankAndNumbersMustBeFinite() {
    rejects("report key fact label: must not be blank", () -> new KeyFact("", "x"));
    rejects("report key fact 'tag': value: must not be blank", () -> new KeyFact("tag", null));
    rejects("report gate name: must not be blank", () -> new GateResult(null, ">= 70%", "71%", true));
    rejects("report gate 'g': actual: must not be blank", () -> new GateResult("g", ">= 70%", "\t", true));
    rejects("report stage 'bench': seconds: must be a finite number, got Infinity",
        () -> new StageTiming("bench", Double.POSITIVE_INFINITY));
    rejects("report stage 'bench': seconds must not be negative, got -1.0", () -> new StageTiming("bench", -1));
    rejects("report comparison 'pass@1': current: must be a finite number, got NaN",
        () -> MetricComparison.of("pass@1", 0.4, Double.NaN, false));
    rejects("report comparison 'pass@1': relative change: given without a previous value",
        () -> new MetricComparison("pass@1", null, 0.4, 0.1, false));
  }

  @Test
  void relativeChangeIsComputedAgainstThePreviousValue() {
    assertEquals(-0.25, MetricComparison.of("ms_per_token", 20.0, 15.0, false).relativeChange(), 1e-12);
    assertEquals(0.5, MetricComparison.of("delta", -2.0, -1.0, false).relativeChange(), 1e-12);
    assertNull(MetricComparison.of("x", 0.0, 1.0, false).relativeChange());
    assertNull(MetricComparison.of("x", null, 1.0, false).relativeChange());
  }

  @Test
  void versionTypeAndOutcomeAreChecked() {
    rejects("report version: missing", () -> with(null, "A", "published"));
    rejects("report release type: must be one of A, B, C, D, got 'E'", () -> with("1.4.0", "E", "blocked: x"));
    rejects("report outcome: must be 'published' or 'blocked: <reason>', got 'blocked: '", () -> with("1.4.0", "A", "blocked: "));
    rejects("report outcome: must be 'published' or 'blocked: <reason>', got 'Published'", () -> with("1.4.0", "A", "Published"));
    rejects("report outcome: 'published' contradicts failed gate 'pass@1 regression'", () -> with("1.4.0", "A", "published"));
  }

  @Test
  void publishedCannotHideABlockingRegression() {
    ReleaseReport p = ReportFixtures.published();
    rejects("report outcome: 'published' contradicts blocking comparison 'pass@1'",
        () -> new ReleaseReport(p.version(), p.releaseType(), p.outcome(), p.keyFacts(), p.categories(),
            List.of(MetricComparison.of("pass@1", 0.5, 0.4, true)), p.gates(), p.stageTimings()));
  }

  @Test
  void listsMustBePresentWithoutNullsOrDuplicateNamesAndAreCopied() {
    ReleaseReport b = ReportFixtures.blocked();
    rejects("report stage timings: missing",
        () -> new ReleaseReport(Semver.parse("1.0.0"), "A", "blocked: x", b.keyFacts(), b.categories(), b.comparisons(), b.gates(), null));
    rejects("report gates[1]: missing",
        () -> new ReleaseReport(Semver.parse("1.0.0"), "A", "blocked: x", b.keyFacts(), b.categories(), b.comparisons(),
            Arrays.asList(b.gates().get(0), null), b.stageTimings()));
    List<CategoryMetrics> twice = List.of(CategoryMetrics.current("a", 1, 0, 0), CategoryMetrics.current("a", 2, 1, 1));
    rejects("report categories: 'a' appears twice",
        () -> new ReleaseReport(Semver.parse("1.0.0"), "A", "blocked: x", b.keyFacts(), twice, b.comparisons(), b.gates(), b.stageTimings()));

    List<StageTiming> stages = new ArrayList<>(b.stageTimings());
    ReleaseReport r = new ReleaseReport(Semver.parse("1.0.0"), "A", "blocked: x", b.keyFacts(), b.categories(), b.comparisons(), b.gates(), stages);
    stages.clear();
    assertEquals(5, r.stageTimings().size(), "the report keeps its own copy");
    assertThrows(UnsupportedOperationException.class, () -> r.stageTimings().clear());
  }
}
