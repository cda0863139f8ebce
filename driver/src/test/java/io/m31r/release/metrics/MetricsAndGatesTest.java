package io.m31r.release.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.GateFailedException;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.sandbox.SampleStatus;
import io.m31r.release.suite.Difficulty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsAndGatesTest {
  static final String DIGEST_A = "a".repeat(64);
  static final String DIGEST_B = "b".repeat(64);

  static List<EvaluatedSample> samples(String task, String category, Difficulty d, SampleStatus... statuses) {
    List<EvaluatedSample> out = new ArrayList<>();
    for (int i = 0; i < statuses.length; i++) {
      boolean compiled = statuses[i] != SampleStatus.COMPILE_ERROR && statuses[i] != SampleStatus.SANDBOX_ERROR;
      out.add(new EvaluatedSample(task, category, d, i, statuses[i], compiled, 100 + i, compiled ? 10 : -1, null, null));
    }
    return out;
  }

  static BenchMetrics twoTasks() {
    List<EvaluatedSample> all = new ArrayList<>();
    all.addAll(samples("a/task_001", "a", Difficulty.EASY, SampleStatus.PASSED, SampleStatus.TEST_FAILED, SampleStatus.COMPILE_ERROR, SampleStatus.PASSED, SampleStatus.TIMEOUT));
    all.addAll(samples("b/task_001", "b", Difficulty.HARD, SampleStatus.CRASHED, SampleStatus.COMPILE_ERROR, SampleStatus.COMPILE_ERROR, SampleStatus.PASSED, SampleStatus.TEST_FAILED));
    return MetricsCalculator.compute(all, List.of(1, 5));
  }

  @Test
  void perTaskEstimatesAveragedAndSliced() {
    BenchMetrics m = twoTasks();
    assertEquals((2 / 5.0 + 1 / 5.0) / 2, m.passAtK().get("1"), 1e-12);
    assertEquals(1.0, m.passAtK().get("5"), 1e-12);
    assertEquals(0.4, m.byCategory().get("a").passAtK().get("1"), 1e-12);
    assertEquals(0.2, m.byDifficulty().get("hard").passAtK().get("1"), 1e-12);
    assertEquals(7 / 10.0, m.compileRate(), 1e-12);
    assertEquals(3L, m.statusCounts().get("passed"));
    assertEquals(3L, m.statusCounts().get("compile_error"));
    assertEquals(0L, m.statusCounts().get("sandbox_error"));
    assertEquals(102L, m.compile().p50());
    assertEquals(104L, m.compile().p95());
    assertEquals(5, m.samplesPerTask());
  }

  @Test
  void kAboveSamplesIsRefusedNamingTheTask() {
    var all = samples("t/task_001", "t", Difficulty.EASY, SampleStatus.PASSED, SampleStatus.PASSED);
    var e = assertThrows(KExceedsSamplesException.class, () -> MetricsCalculator.compute(all, List.of(1, 5)));
    assertTrue(e.getMessage().contains("task t/task_001 has 2"), e.getMessage());
  }

  static GateTargets lenient() {
    return new GateTargets(0.0, new TreeMap<>(Map.of(1, 0.0)), 50, 8_000_000_000L);
  }

  @Test
  void targetsBlockWithValues() {
    List<GateCheck> checks = ReleaseGates.evaluate(DIGEST_A, twoTasks(), GateTargets.UPSTREAM, null);
    var e = assertThrows(GateFailedException.class, () -> ReleaseGates.enforce(checks));
    assertEquals(3, e.exitCode().code());
    assertTrue(e.getMessage().contains("pass@1 below target: 0.3000 < minimum 0.4000"), e.getMessage());
    assertTrue(checks.stream().anyMatch(c -> c.metric().equals("pass@10") && c.outcome().equals(GateCheck.NOT_MEASURED)));
    assertTrue(checks.stream().anyMatch(c -> c.metric().equals("ms_per_token") && c.outcome().equals(GateCheck.NOT_MEASURED)));
  }

  static BaselineReport baseline(Path dir, String digest, double compileRate, double pass1, Double msPerToken) throws Exception {
    var metrics = new TreeMap<String, Object>();
    metrics.put("compile_rate", compileRate);
    metrics.put("pass_at_k", Map.of("1", pass1));
    if (msPerToken != null) {
      metrics.put("ms_per_token", msPerToken);
    }
    Path f = dir.resolve("baseline-" + System.nanoTime() + ".json");
    Files.write(f, CanonicalJson.bytes(Map.of("suite", Map.of("digest", digest), "metrics", metrics)));
    return BaselineReport.read(f);
  }

  @Test
  void regressionOverFivePercentBlocksNamingMetricAndValues(@TempDir Path dir) throws Exception {
    BenchMetrics m = twoTasks(); // compile 0.70, pass@1 0.30
    // 0.30 against 0.32 is a 6.25% drop; 0.70 against 0.7368 is 4.99%.
    List<GateCheck> checks = ReleaseGates.evaluate(DIGEST_A, m, lenient(), baseline(dir, DIGEST_A, 0.7368, 0.32, null));
    var e = assertThrows(GateFailedException.class, () -> ReleaseGates.enforce(checks));
    assertEquals("release blocked by 1 gate(s): pass@1 regression: baseline 0.3200, candidate 0.3000 (relative drop 6.25%, limit 5%)", e.getMessage());
  }

  @Test
  void exactlyFivePercentPassesAndImprovementsPass(@TempDir Path dir) throws Exception {
    BenchMetrics m = twoTasks();
    // A baseline of 0.30 / 0.95 makes the drop exactly 5%, which the rule ("more than 5%") lets pass.
    List<GateCheck> checks = ReleaseGates.evaluate(DIGEST_A, m, lenient(), baseline(dir, DIGEST_A, 0.7, 0.3 / 0.95, null));
    ReleaseGates.enforce(checks);
    ReleaseGates.enforce(ReleaseGates.evaluate(DIGEST_A, m, lenient(), baseline(dir, DIGEST_A, 0.1, 0.1, null)));
  }

  @Test
  void latencyRiseBlocksAndMissingCandidateBlocks(@TempDir Path dir) throws Exception {
    List<EvaluatedSample> s = new ArrayList<>();
    s.add(new EvaluatedSample("t/task_001", "t", Difficulty.EASY, 0, SampleStatus.PASSED, true, 1, 1, 21.5, 1_000L));
    BenchMetrics m = MetricsCalculator.compute(s, List.of(1));
    var checks = ReleaseGates.evaluate(DIGEST_A, m, lenient(), baseline(dir, DIGEST_A, 1.0, 1.0, 20.0));
    var e = assertThrows(GateFailedException.class, () -> ReleaseGates.enforce(checks));
    assertTrue(e.getMessage().contains("ms_per_token regression: baseline 20.0000, candidate 21.5000 (relative rise 7.50%, limit 5%)"), e.getMessage());

    BenchMetrics noModel = twoTasks();
    var checks2 = ReleaseGates.evaluate(DIGEST_A, noModel, lenient(), baseline(dir, DIGEST_A, 0.7, 0.3, 20.0));
    var e2 = assertThrows(GateFailedException.class, () -> ReleaseGates.enforce(checks2));
    assertTrue(e2.getMessage().contains("ms_per_token regression: baseline 20.0000, candidate not measured"), e2.getMessage());
  }

  @Test
  void baselineOnAnotherSuiteIsRefusedNotCompared(@TempDir Path dir) throws Exception {
    BaselineReport other = baseline(dir, DIGEST_B, 0.99, 0.99, null);
    var e = assertThrows(BaselineSuiteMismatchException.class, () -> ReleaseGates.evaluate(DIGEST_A, twoTasks(), lenient(), other));
    assertEquals(2, e.exitCode().code());
    assertTrue(e.getMessage().contains(DIGEST_B) && e.getMessage().contains(DIGEST_A));
    Path junk = dir.resolve("junk.json");
    Files.writeString(junk, "{\"metrics\": {}}");
    assertThrows(BadBaselineException.class, () -> BaselineReport.read(junk));
    assertFalse(other.gatedValues().isEmpty());
  }
}
