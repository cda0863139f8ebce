package io.m31r.release.submit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.testing.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * freeze and verify-dataset under the real spark-submit with two executor JVMs give what the
 * embedded path (scripts/m31r, one JVM) gives: the application jar works when shipped to
 * executors, its task code serializes, and the Hadoop configuration reaches them.
 */
class FreezeLocalClusterIT {
  private static final Duration RUN_LIMIT = Duration.ofSeconds(150);

  /** Around the 64 KiB read buffer and the 4-byte token width, empty shards included. */
  private static final int[] SIZES = {
    0, 1, 3, 4, 63, 4096, 65535, 65536, 65537, 70001, 131072, 131075,
    200003, 0, 7, 12345, 99999, 150000, 196615, 262144, 300001, 777, 65540, 1 << 20
  };

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void freezeUnderSparkSubmitMatchesEmbeddedAndVerifies() throws Exception {
    Path dir = SparkHome.testDir(FreezeLocalClusterIT.class);
    SparkHome spark = SparkHome.build(dir.resolve("spark-home"));
    Path dataset = dir.resolve("dataset");
    List<Path> shards = Datasets.write(dataset, 7L, SIZES);
    Path embeddedManifest = dir.resolve("out/embedded.manifest.json");
    Path clusterManifest = dir.resolve("out/cluster.manifest.json");

    Subprocess.Result embedded;
    try (Subprocess p = SparkHome.startEmbedded("embedded-freeze", dir,
        "freeze", "--dataset", dataset.toString(), "--out", embeddedManifest.toString())) {
      embedded = p.await(RUN_LIMIT);
    }
    assertEquals(0, embedded.exitCode(), "scripts/m31r freeze:\n" + embedded.errTail());

    SparkHome.Submission freeze = spark.start("submit-freeze", dir, List.of(),
        "freeze", "--dataset", dataset.toString(), "--out", clusterManifest.toString());
    Subprocess.Result frozen;
    try (freeze) {
      frozen = freeze.process().await(RUN_LIMIT);
    }
    assertEquals(0, frozen.exitCode(), "spark-submit freeze:\n" + frozen.errTail());
    assertTrue(frozen.out().contains("shards: " + SIZES.length), frozen.out());
    assertArrayEquals(Files.readAllBytes(embeddedManifest), Files.readAllBytes(clusterManifest),
        "the manifest from two executors must be byte-identical to the embedded one");
    assertTwoExecutorsWorked(spark, EventLog.read(freeze.eventLogDir()));

    Subprocess.Result verified = submit(spark, dir, "submit-verify",
        "verify-dataset", "--manifest", clusterManifest.toString());
    assertEquals(0, verified.exitCode(), "spark-submit verify-dataset:\n" + verified.errTail());
    assertTrue(verified.out().contains("ok: " + SIZES.length + " shards identical"), verified.out());

    Path victim = shards.get(10);
    String rel = dataset.relativize(victim).toString();
    byte[] bytes = Files.readAllBytes(victim);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(victim, bytes);

    Subprocess.Result broken = submit(spark, dir, "submit-verify-flipped",
        "verify-dataset", "--manifest", clusterManifest.toString());
    assertEquals(4, broken.exitCode(), "verify-dataset after a one-byte flip:\n" + broken.errTail());
    assertTrue(broken.out().contains("changed: " + rel + " (sha256 "), broken.out());
    assertEquals(1, broken.out().lines().filter(l -> l.startsWith("changed: ")).count(), broken.out());
    assertTrue(broken.err().contains("1 changed, 0 missing, 0 extra"), broken.errTail());
  }

  private static Subprocess.Result submit(SparkHome spark, Path dir, String name, String... args) throws Exception {
    try (SparkHome.Submission s = spark.start(name, dir, List.of(), args)) {
      return s.process().await(RUN_LIMIT);
    }
  }

  /**
   * The driver's event log says that two executors joined and each ran part of the hashing, and
   * the Worker's directory for this application holds two executor directories.
   */
  private static void assertTwoExecutorsWorked(SparkHome spark, EventLog log) throws IOException {
    assertEquals(Set.of("0", "1"), log.executorsAdded(), "executors added to " + log.appId());
    assertEquals(Set.of("0", "1"), log.executorsWithSuccessfulTasks(), "executors that ran hashing tasks");
    Path appWork = spark.workDir().resolve(log.appId());
    try (Stream<Path> s = Files.list(appWork)) {
      List<String> executorDirs = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of("0", "1"), executorDirs, "executor directories in " + appWork);
    }
    for (String id : List.of("0", "1")) {
      String stderr = Files.readString(appWork.resolve(id).resolve("stderr"));
      assertTrue(stderr.contains("CoarseGrainedExecutorBackend"), "executor " + id + " log: " + stderr);
      assertFalse(stderr.contains("ClassNotFoundException"), "executor " + id + " log: " + stderr);
    }
  }
}
