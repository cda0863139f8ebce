package io.m31r.release.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * bench under the real spark-submit with two executor JVMs: the sandbox tasks serialize and run on
 * executors and judge the suite as the embedded path (scripts/m31r, one JVM) does; and, when the
 * upstream checkpoint is on the machine, the model runtime loads in executor JVMs that got their
 * DJL jars and native library only from SPARK_HOME/jars and the shaded application jar.
 */
class BenchLocalClusterIT {
  private static final Duration RUN_LIMIT = Duration.ofSeconds(150);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The committed sample of the upstream suite: eight tasks, each with a solution.rs. */
  private static final Path SUITE = Path.of("src/test/resources/upstream-benchmarks").toAbsolutePath();

  /** Relative to the driver module, where failsafe runs; as in BenchModelTest. */
  private static final Path UPSTREAM_MODEL =
      io.m31r.release.testing.UpstreamModelDir.path();

  /** One directory for both tests, so that neither deletes the other's logs. */
  private static Path testDir;

  @BeforeAll
  static void testDir() throws IOException {
    testDir = SparkHome.testDir(BenchLocalClusterIT.class);
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void oracleUnderSparkSubmitMatchesEmbedded() throws Exception {
    Path dir = testDir.resolve("oracle");
    SparkHome spark = SparkHome.build(dir.resolve("spark-home"));
    Path embeddedOut = dir.resolve("out/embedded");
    Path clusterOut = dir.resolve("out/cluster");

    Subprocess.Result embedded;
    try (Subprocess p = SparkHome.startEmbedded("embedded-bench", dir,
        "bench", "--suite", SUITE.toString(), "--oracle", "--out", embeddedOut.toString())) {
      embedded = p.await(RUN_LIMIT);
    }
    assertEquals(0, embedded.exitCode(), "scripts/m31r bench --oracle:\n" + embedded.errTail());

    SparkHome.Submission bench = spark.start("submit-bench", dir, List.of(),
        "bench", "--suite", SUITE.toString(), "--oracle", "--out", clusterOut.toString());
    Subprocess.Result judged;
    try (bench) {
      judged = bench.process().await(RUN_LIMIT);
    }
    assertEquals(0, judged.exitCode(), "spark-submit bench --oracle:\n" + judged.errTail());

    JsonNode embeddedReport = report(embeddedOut);
    JsonNode clusterReport = report(clusterOut);
    assertEquals(1.0, embeddedReport.at("/metrics/pass_at_k/1").asDouble(), 0.0, embeddedReport.toString());
    assertEquals(1.0, clusterReport.at("/metrics/pass_at_k/1").asDouble(), 0.0, clusterReport.toString());
    assertEquals(8, clusterReport.at("/metrics/samples").asInt(), clusterReport.toString());
    assertEquals(withoutTimings(embeddedReport).toPrettyString(), withoutTimings(clusterReport).toPrettyString(),
        "report.json from two executors, timings aside, must equal the embedded one");

    EventLog log = EventLog.read(bench.eventLogDir());
    assertEquals(Set.of("0", "1"), log.executorsAdded(), "executors added to " + log.appId());
    assertEquals(Set.of("0", "1"), log.executorsWithSuccessfulTasks(), "executors that judged programs");
    assertExecutorLogsClean(spark, log);
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void modelGeneratesOnExecutorJvms() throws Exception {
    Assumptions.assumeTrue(Files.isRegularFile(UPSTREAM_MODEL.resolve("model.safetensors")),
        "upstream checkpoint at " + UPSTREAM_MODEL);
    Path dir = Files.createDirectories(testDir.resolve("model"));
    SparkHome spark = SparkHome.build(dir.resolve("spark-home"));
    Path suite = Files.writeString(dir.resolve("mini.jsonl"),
        task("add", "fn add(a: i32, b: i32) -> i32 {", "assert_eq!(add(2, 3), 5);")
            + task("sub", "fn sub(a: i32, b: i32) -> i32 {", "assert_eq!(sub(2, 3), -1);"));
    Path out = dir.resolve("out");

    // No -Dai.djl.offline=true for the executors: the generation task sets it itself before DJL
    // starts, and this run is the proof that it does so in a JVM the launcher started.
    SparkHome.Submission bench = spark.start("submit-bench-model", dir, List.of(),
        "bench", "--suite", suite.toString(), "--model", UPSTREAM_MODEL.toString(), "--unverified",
        "--max-new-tokens", "16", "--min-compile-rate", "0", "--min-pass-at", "1=0", "--out", out.toString());
    Subprocess.Result r;
    try (bench) {
      r = bench.process().await(RUN_LIMIT);
    }
    assertEquals(0, r.exitCode(), "spark-submit bench --model:\n" + r.errTail());
    JsonNode report = report(out);
    // Greedy decoding: the checkpoint memorised add and writes add's body again for sub.
    assertEquals(0.5, report.at("/metrics/pass_at_k/1").asDouble(), 0.0, report.toString());
    assertEquals("model", report.at("/source/kind").asText());
    assertEquals(Map.of("add#0", "passed", "sub#0", "test_failed"), statuses(out.resolve("samples.jsonl")));
    assertTrue(report.at("/source/generation/ms_per_token/p50").asDouble() > 0, report.toString());
    // Two prompts make two generation partitions, one for each one-core executor: both JVMs
    // loaded the checkpoint through DJL (and then judged a program each).
    EventLog log = EventLog.read(bench.eventLogDir());
    assertEquals(Set.of("0", "1"), log.executorsAdded(), "executors added to " + log.appId());
    assertEquals(Set.of("0", "1"), log.executorsWithSuccessfulTasks(), "executors that generated");
    assertExecutorLogsClean(spark, log);
  }

  private static String task(String name, String prompt, String check) {
    return "{\"name\": \"" + name + "\", \"prompt\": \"" + prompt + "\", \"tests\": \"\\nfn main() {\\n    "
        + check + "\\n}\\n\", \"stop_tokens\": [\"}\"]}\n";
  }

  private static JsonNode report(Path out) throws IOException {
    return JSON.readTree(out.resolve("report.json").toFile());
  }

  private static Map<String, String> statuses(Path samples) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String line : Files.readAllLines(samples)) {
      JsonNode n = JSON.readTree(line);
      out.put(n.get("task").asText() + "#" + n.get("sample").asInt(), n.get("status").asText());
    }
    return out;
  }

  /**
   * An oracle run's report without what measures wall time and so differs between any two runs:
   * the rustc and test latency percentiles under metrics, and any other field named as a duration
   * (*_ms, *_seconds). The limits under settings (compile_timeout_ms, run_timeout_ms) are inputs, not
   * measurements, and stay: they must be the same on both paths. Everything else (verdict counts,
   * pass@k by category and difficulty, the rustc version, the isolation probed, gate outcomes and
   * their messages, which quote no timing without a model) is a function of the suite and the
   * machine, not of which JVM judged it.
   */
  private static JsonNode withoutTimings(JsonNode report) {
    ObjectNode copy = report.deepCopy();
    ObjectNode metrics = (ObjectNode) copy.get("metrics");
    metrics.remove(List.of("compile_latency", "run_latency"));
    for (Iterator<Map.Entry<String, JsonNode>> it = copy.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().equals("settings")) {
        dropDurations(e.getValue());
      }
    }
    return copy;
  }

  private static void dropDurations(JsonNode node) {
    if (node instanceof ObjectNode o) {
      List<String> drop = new ArrayList<>();
      o.fieldNames().forEachRemaining(name -> {
        if (name.endsWith("_ms") || name.endsWith("_seconds")) {
          drop.add(name);
        }
      });
      o.remove(drop);
    }
    node.forEach(BenchLocalClusterIT::dropDurations);
  }

  /** Both executors' logs show a started backend and no class the shipped jar failed to bring. */
  private static void assertExecutorLogsClean(SparkHome spark, EventLog log) throws IOException {
    Path appWork = spark.workDir().resolve(log.appId());
    for (String id : List.of("0", "1")) {
      String stderr = Files.readString(appWork.resolve(id).resolve("stderr"));
      assertTrue(stderr.contains("CoarseGrainedExecutorBackend"), "executor " + id + " log: " + stderr);
      assertFalse(stderr.contains("ClassNotFoundException"), "executor " + id + " log: " + stderr);
      assertFalse(stderr.contains("NoClassDefFoundError"), "executor " + id + " log: " + stderr);
    }
  }
}
