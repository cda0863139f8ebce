package io.m31r.release.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.metrics.BenchMetrics;
import io.m31r.release.metrics.EvaluatedSample;
import io.m31r.release.metrics.GateTargets;
import io.m31r.release.metrics.MetricsCalculator;
import io.m31r.release.metrics.ReleaseGates;
import io.m31r.release.sample.SampleReleaseConfig;
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

/** pass@1, pass@5, pass@10 targets from release.yaml, each gated only where samples_per_task reaches k. */
class PassAtKGatesTest {
  @TempDir Path tmp;

  @Test
  void eachKIsGatedOnlyWhereTheSamplesAllowIt() throws Exception {
    assertEquals(new TreeMap<>(Map.of(1, 0.4)), settings(1, "").passAtKTargets());
    assertEquals(new TreeMap<>(Map.of(1, 0.4, 5, 0.9)), settings(5, "    min_pass_at_5: 0.9\n").passAtKTargets());
    assertEquals(new TreeMap<>(Map.of(1, 0.4, 5, 0.6, 10, 0.7)), settings(10, "").passAtKTargets(), "upstream's targets by default");
    BadInputException e = assertThrows(BadInputException.class, () -> settings(10, "    min_pass_at_10: 1.5\n"));
    assertTrue(e.getMessage().contains("release.gates.min_pass_at_10"), e.getMessage());
  }

  @Test
  void aPassAt5BelowItsTargetBlocksWithExit3() throws Exception {
    ReleaseSettings s = settings(5, "    min_pass_at_5: 0.9\n");
    // Task a: 0 of 5 samples pass; task b: 1 of 5. pass@1 = 0.1, pass@5 = 0.5.
    List<EvaluatedSample> samples = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      samples.add(sample("a", i, false));
      samples.add(sample("b", i, i == 0));
    }
    BenchMetrics m = MetricsCalculator.compute(samples, List.of(1, 5));
    var targets = new GateTargets(0, s.passAtKTargets(), 50, 8_000_000_000L);
    var lowered = new TreeMap<>(s.passAtKTargets());
    lowered.put(1, 0.0);
    GateFailedException blocked = assertThrows(GateFailedException.class,
        () -> ReleaseGates.enforce(ReleaseGates.evaluate("suite", m, new GateTargets(0, lowered, 50, 8_000_000_000L), null)));
    assertEquals(ExitCode.GATE_BLOCKED, blocked.exitCode());
    assertTrue(blocked.getMessage().contains("pass@5 below target: 0.5000 < minimum 0.9000"), blocked.getMessage());
    assertTrue(!blocked.getMessage().contains("pass@1"), "pass@1 met its lowered target: " + blocked.getMessage());
    assertEquals(2, ReleaseGates.evaluate("suite", m, targets, null).stream().filter(c -> c.blocked()).count(), "pass@1 0.1 < 0.4 too");
  }

  private static EvaluatedSample sample(String task, int i, boolean passed) {
    return new EvaluatedSample(task, "completion", Difficulty.EASY, i, passed ? SampleStatus.PASSED : SampleStatus.TEST_FAILED,
        true, 10, 5, null, null);
  }

  private ReleaseSettings settings(int samples, String extraGates) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "cfg");
    Path file = SampleReleaseConfig.write(dir, "fn a() {");
    String yaml = Files.readString(file)
        .replace("\"samples_per_task\": 1", "\"samples_per_task\": " + samples)
        .replace("samples_per_task: 1\n", "samples_per_task: " + samples + "\n");
    yaml = yaml.replaceFirst("(?m)^(\\s+\"?min_pass_at_1\"?: .*\n)", "$1" + extraGates.replace("$", "\\$"));
    Files.writeString(file, yaml);
    return new ConfigLoader().load(file).requireRelease("export");
  }
}
