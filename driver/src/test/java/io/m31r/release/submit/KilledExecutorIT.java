package io.m31r.release.submit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.freeze.DatasetManifest;
import io.m31r.release.freeze.ManifestCodec;
import io.m31r.release.hashing.Hex;
import io.m31r.release.hashing.ShardDigest;
import io.m31r.release.hashing.ShardHasher;
import io.m31r.release.shards.ShardFormats;
import io.m31r.release.testing.Datasets;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGKILL of an executor JVM in the middle of a freeze: Spark re-runs the lost tasks elsewhere
 * (spark.task.maxFailures is 4 off local mode) and the manifest is still exactly right, or the
 * freeze fails as an infrastructure failure (exit 1) and writes nothing. A wrong or partial
 * manifest is the one outcome that must never happen.
 */
class KilledExecutorIT {
  private static final Duration RUN_LIMIT = Duration.ofSeconds(150);
  private static final Pattern EXECUTOR_ID = Pattern.compile("--executor-id (\\S+)");

  /**
   * About 24 x 9 reads at 100 ms each: ~20 s of hashing split over two executors, so that each of
   * the 8 tasks (2 cores x tasks_per_core 4) runs for seconds and the kill lands inside one.
   */
  private static final long READ_SLEEP_MS = 100;

  private static final int[] SIZES = {
    0, 524288, 300001, 655360, 65536, 458759, 524288, 393216, 700001, 262144, 589824, 524291,
    4, 600000, 500000, 458752, 655363, 327680, 524288, 393221, 720896, 262147, 589824, 491520
  };

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void freezeSurvivesOrFailsCleanlyWhenAnExecutorIsKilled() throws Exception {
    Path dir = SparkHome.testDir(KilledExecutorIT.class);
    SparkHome spark = SparkHome.build(dir.resolve("spark-home"), slowFileSystemJar(dir.resolve("slowfile")));
    Path dataset = dir.resolve("dataset");
    Datasets.write(dataset, 11L, SIZES);
    TreeMap<String, ShardDigest> reference = referenceDigests(dataset);
    Path signals = Files.createDirectories(dir.resolve("signals"));
    Path outDir = Files.createDirectories(dir.resolve("out"));
    Path manifest = outDir.resolve("manifest.json");
    String datasetUri = SlowFileSystem.SCHEME + ":" + dataset.toAbsolutePath();

    List<String> conf = List.of(
        "spark.hadoop.fs." + SlowFileSystem.SCHEME + ".impl=" + SlowFileSystem.class.getName(),
        "spark.hadoop." + SlowFileSystem.SLEEP_MS + "=" + READ_SLEEP_MS,
        "spark.hadoop." + SlowFileSystem.SIGNAL_DIR + "=" + signals);
    Subprocess.Result result;
    String killedId;
    EventLog log;
    try (SparkHome.Submission freeze = spark.start("submit-freeze-killed", dir, conf,
        "freeze", "--dataset", datasetUri, "--out", manifest.toString())) {
      ProcessHandle busy = awaitBusyExecutor(freeze, signals);
      killedId = executorId(busy);
      assertTrue(busy.destroyForcibly(), "SIGKILL executor " + killedId);
      busy.onExit().get(30, TimeUnit.SECONDS);
      result = freeze.process().await(RUN_LIMIT);
      log = EventLog.read(freeze.eventLogDir());
    }

    assertTrue(log.executorsThatLostTasks().contains(killedId),
        "the kill must hit a running task of executor " + killedId + "; tasks lost by executor: "
            + log.executorsThatLostTasks() + "\n" + result.errTail());
    switch (result.exitCode()) {
      case 0 -> {
        DatasetManifest written = ManifestCodec.decode(manifest.toString(), Files.readAllBytes(manifest));
        assertEquals(datasetUri, written.selection().datasetUri());
        DatasetManifest expected = DatasetManifest.of(written.selection(), reference);
        assertArrayEquals(ManifestCodec.encode(expected), Files.readAllBytes(manifest),
            "after the retry the manifest must equal the reference hashed in this JVM");
        System.out.println("executor " + killedId + " killed mid-task; freeze exit 0 after retry on executors "
            + log.executorsWithSuccessfulTasks());
      }
      case 1 -> {
        assertFalse(Files.exists(manifest), "a failed freeze must not write a manifest");
        try (Stream<Path> s = Files.list(outDir)) {
          assertEquals(List.of(), s.toList(), "a failed freeze must leave nothing behind");
        }
        assertTrue(result.err().contains("m31r: "), result.errTail());
        System.out.println("executor " + killedId + " killed mid-task; freeze failed cleanly with exit 1");
      }
      default -> fail("a killed executor must give exit 0 or 1, got " + result.exitCode() + ":\n" + result.errTail());
    }
  }

  /**
   * Waits for the slow file system to announce the first shard opened on an executor, and returns
   * that executor: it is hashing now. Only a JVM of this run (marker) that is an executor qualifies.
   */
  private static ProcessHandle awaitBusyExecutor(SparkHome.Submission freeze, Path signals) throws Exception {
    long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!freeze.process().handle().isAlive()) {
        fail("spark-submit ended before any executor opened a shard:\n"
            + new Subprocess.Result(-1, "", freeze.process().errSoFar()).errTail());
      }
      Optional<Path> signal;
      try (Stream<Path> s = Files.list(signals)) {
        signal = s.filter(p -> !p.getFileName().toString().startsWith(".")).findFirst();
      }
      if (signal.isPresent()) {
        long pid = Long.parseLong(Files.readString(signal.get()).trim());
        return freeze.executors().stream()
            .filter(p -> p.pid() == pid)
            .findFirst()
            .orElseThrow(() -> new AssertionError(
                "pid " + pid + " opened a shard but is no executor of this run: " + freeze.executors()));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no executor opened a shard within " + RUN_LIMIT);
  }

  private static String executorId(ProcessHandle executor) {
    Matcher m = EXECUTOR_ID.matcher(Subprocess.commandLine(executor));
    if (!m.find()) {
      throw new AssertionError("no --executor-id in " + Subprocess.commandLine(executor));
    }
    return m.group(1);
  }

  /**
   * Every shard through the same hasher in this JVM, with plain file reads; each digest is also
   * checked against a one-shot MessageDigest of the whole file.
   */
  private static TreeMap<String, ShardDigest> referenceDigests(Path dataset) throws Exception {
    TreeMap<String, ShardDigest> out = Sha256sumListing.newSortedMap();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dataset)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      String rel = dataset.relativize(f).toString().replace(java.io.File.separatorChar, '/');
      ShardDigest d;
      try (FileChannel ch = FileChannel.open(f)) {
        d = new ShardHasher().hash(rel, (pos, buf, off, len) -> ch.read(ByteBuffer.wrap(buf, off, len), pos),
            Files.size(f), ShardFormats.inspectorFor(rel), ShardHasher.ByteProgress.NONE);
      }
      byte[] whole = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
      assertEquals(Hex.of(whole), d.sha256(), rel);
      out.put(rel, d);
    }
    assertEquals(SIZES.length, out.size());
    return out;
  }

  /** The slow file system's classes as a jar, for SPARK_HOME/jars (driver and executors). */
  private static Path slowFileSystemJar(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path jar = dir.resolve("m31r-it-slowfile.jar");
    String pkg = SlowFileSystem.class.getPackageName().replace('.', '/');
    Path classes;
    try {
      classes = Path.of(SlowFileSystem.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    List<Path> members;
    try (Stream<Path> s = Files.list(classes.resolve(pkg))) {
      String prefix = SlowFileSystem.class.getSimpleName();
      members = s.filter(p -> {
        String n = p.getFileName().toString();
        return n.equals(prefix + ".class") || n.startsWith(prefix + "$");
      }).sorted().toList();
    }
    try (OutputStream fo = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(fo)) {
      for (Path m : members) {
        j.putNextEntry(new JarEntry(pkg + "/" + m.getFileName()));
        Files.copy(m, j);
        j.closeEntry();
      }
    }
    return jar;
  }
}
