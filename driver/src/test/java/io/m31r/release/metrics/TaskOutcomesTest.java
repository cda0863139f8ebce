package io.m31r.release.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.json.CanonicalJson;
import io.m31r.release.sandbox.SampleStatus;
import io.m31r.release.suite.Difficulty;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskOutcomesTest {
  private static EvaluatedSample sample(String task, int index, SampleStatus status) {
    return new EvaluatedSample(task, "completion", Difficulty.EASY, index, status, status != SampleStatus.COMPILE_ERROR, 1, 1, null, null);
  }

  @Test
  void aTaskPassesWhenAnyOfItsSamplesPassesAndFlipsNameBothDirections() {
    TaskOutcomes before = TaskOutcomes.of(List.of(
        sample("t3", 0, SampleStatus.PASSED), sample("t1", 0, SampleStatus.COMPILE_ERROR), sample("t1", 1, SampleStatus.TEST_FAILED),
        sample("t2", 0, SampleStatus.PASSED), sample("t4", 0, SampleStatus.TEST_FAILED)));
    assertEquals(Map.of("t1", "failed", "t2", "passed", "t3", "passed", "t4", "failed"), before.asRecorded());
    TaskOutcomes after = TaskOutcomes.of(List.of(
        sample("t1", 0, SampleStatus.TEST_FAILED), sample("t1", 1, SampleStatus.PASSED), sample("t2", 0, SampleStatus.COMPILE_ERROR),
        sample("t3", 0, SampleStatus.PASSED), sample("t4", 0, SampleStatus.TEST_FAILED), sample("t5", 0, SampleStatus.PASSED)));
    TaskOutcomes.Flips flips = after.since(before);
    assertEquals(List.of("t2"), flips.passedToFailed());
    // t5 is new: not a flip, it has nothing to flip from.
    assertEquals(List.of("t1"), flips.failedToPassed());
    assertEquals(new TaskOutcomes.Flips(List.of(), List.of()), after.since(after));
  }

  @Test
  void theRecordReadsBackAndAMalformedOneIsRefusedNamingTheField() throws Exception {
    TaskOutcomes read = TaskOutcomes.read(CanonicalJson.mapper().readTree("{\"a\":\"passed\",\"b\":\"failed\"}"), "x.task_outcomes");
    assertEquals(Map.of("a", true, "b", false), read.passed());
    var e = assertThrows(BadBaselineException.class,
        () -> TaskOutcomes.read(CanonicalJson.mapper().readTree("{\"a\":\"passed\",\"b\":true}"), "x.task_outcomes"));
    assertEquals(2, e.exitCode().code());
    assertTrue(e.getMessage().contains("x.task_outcomes.b"), e.getMessage());
    assertThrows(BadBaselineException.class, () -> TaskOutcomes.read(CanonicalJson.mapper().readTree("[]"), "x.task_outcomes"));
  }
}
