package io.m31r.release.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.m31r.release.testing.GitCli;
import io.m31r.release.testing.SampleWorkspaces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole release lifecycle under the real spark-submit with two executor JVMs: freeze and
 * benchmark run as tasks on both executors, the driver packages, validates, tags and publishes,
 * and the rebuild from scratch starts this tool again as a child process of a driver JVM whose
 * class path is SPARK_HOME's, not the application jar's.
 */
class ExportLocalClusterIT {
  /** Freeze, a 36-task benchmark with generation on two executors, a second training, validation. */
  private static final Duration EXPORT_LIMIT = Duration.ofMinutes(15);

  /** The libtorch CPU native jar, by file name. */
  private static final String LIBTORCH = "pytorch-native-cpu-";

  static final List<String> SIX =
      List.of("README.txt", "checksum.txt", "config.yaml", "metadata.json", "model.safetensors", "tokenizer.json");

  /** One sample workspace for both tests, each of which exports a copy of it. */
  private static Path master;

  private static Path testDir;

  @BeforeAll
  static void sampleWorkspace() throws Exception {
    testDir = SparkHome.testDir(ExportLocalClusterIT.class);
    // The build's cached training when the unit tests made one already (SampleWorkspaces).
    master = SampleWorkspaces.master();
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void exportUnderSparkSubmitPublishesAVerifiedReleaseRebuiltFromScratch() throws Exception {
    Path dir = Files.createDirectories(testDir.resolve("installed-libtorch"));
    SparkHome spark = SparkHome.build(dir.resolve("spark-home"));
    exportAndCheck(spark, dir, List.of());
  }

  /**
   * libtorch deployed as the operations guide says, with --jars (spark.jars), not in SPARK_HOME:
   * the executors, the driver's validation and the rebuild's child JVM all find it there.
   */
  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void exportWithLibtorchOnlyFromSparkJarsRebuildsInAChildJvm() throws Exception {
    Path dir = Files.createDirectories(testDir.resolve("libtorch-from-jars"));
    SparkHome spark = SparkHome.build(dir.resolve("spark-home"), List.of(LIBTORCH));
    try (Stream<Path> jars = Files.list(spark.home().resolve("jars"))) {
      assertTrue(jars.noneMatch(j -> j.getFileName().toString().startsWith(LIBTORCH)), "libtorch left out of jars/");
    }
    exportAndCheck(spark, dir, List.of("spark.jars=" + SparkHome.classPathJar(LIBTORCH)));
  }

  private static void exportAndCheck(SparkHome spark, Path dir, List<String> sparkConf) throws Exception {
    Path ws = SampleWorkspaces.copyTree(master, dir.resolve("ws"));
    SparkHome.Submission export = spark.start("submit-export", dir, sparkConf,
        "--config", ws.resolve("release.yaml").toString(), "export", "--version", "0.1.0", "--type", "A");
    Subprocess.Result r;
    try (export) {
      r = export.process().await(EXPORT_LIMIT);
    }
    assertEquals(0, r.exitCode(), "spark-submit export:\n" + r.errTail());
    assertTrue(r.out().contains("(rebuilt from scratch: identical)"), r.out());
    // The child's own last line, relayed by the rebuild stage: the retraining really ran there.
    assertTrue(r.err().contains("rebuild | rebuilt model: "), r.errTail());

    // The sample's release.yaml publishes to ../release, beside the workspace.
    Path release = dir.resolve("release/0.1.0");
    try (Stream<Path> files = Files.list(release)) {
      assertEquals(SIX, files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    Process sha = new ProcessBuilder("sha256sum", "-c", "checksum.txt")
        .directory(release.toFile()).redirectErrorStream(true).start();
    String shaOut = new String(sha.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, sha.waitFor(), shaOut);
    assertEquals(5, shaOut.lines().filter(l -> l.endsWith(": OK")).count(), shaOut);

    JsonNode metadata = new ObjectMapper().readTree(release.resolve("metadata.json").toFile());
    assertTrue(metadata.at("/rebuild/checked").asBoolean(), metadata.toString());
    assertEquals(metadata.get("model_hash").asText(), metadata.at("/rebuild/model_hash").asText());
    assertEquals(GitCli.run(ws, "rev-parse", "HEAD").strip(), metadata.get("git_commit").asText());
    assertEquals("v0.1.0\n", GitCli.run(ws, "tag", "-l", "v0.1.0"));
    assertEquals("0.1.0\n", Files.readString(dir.resolve("release/CURRENT")));
    assertTrue(Files.isRegularFile(dir.resolve("release-reports/0.1.0.html")));

    // Freeze hashing, generation and sandbox judging were split between the two executor JVMs.
    EventLog log = EventLog.read(export.eventLogDir());
    assertEquals(Set.of("0", "1"), log.executorsAdded(), "executors added to " + log.appId());
    assertEquals(Set.of("0", "1"), log.executorsWithSuccessfulTasks(), "executors that ran export tasks");

    Subprocess.Result verified;
    try (Subprocess p = SparkHome.startEmbedded("verify", dir, "verify", "0.1.0", "--root", dir.resolve("release").toString())) {
      verified = p.await(Duration.ofMinutes(2));
    }
    assertEquals(0, verified.exitCode(), "scripts/m31r verify:\n" + verified.out() + verified.errTail());
  }
}
