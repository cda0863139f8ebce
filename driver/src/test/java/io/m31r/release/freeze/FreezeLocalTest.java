package io.m31r.release.freeze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.config.FreezeSettings;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.Datasets;
import io.m31r.release.testing.TestSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code m31r freeze} on local files through the real CLI and a real local SparkSession. */
class FreezeLocalTest {
  private static final int[] SIZES = {0, 1, 64, 4095, 65535, 65536, 65537, 131072, 200_003, 1 << 20, 7, 3};

  @TempDir Path tmp;

  private Path dataset() throws Exception {
    Path ds = tmp.resolve("ds");
    Datasets.write(ds, 7, SIZES);
    return ds;
  }

  private static DatasetManifest read(Path manifest) throws Exception {
    return ManifestCodec.decode(manifest.toString(), Files.readAllBytes(manifest));
  }

  @Test
  void manifestMatchesSha256sumAndListingPassesSha256sumCheck() throws Exception {
    Path ds = dataset();
    Path manifest = tmp.resolve("out/manifest.json");
    Path listing = tmp.resolve("out/SHA256SUMS");
    // Tiny tasks, so that the shards really are spread over several tasks and both cores.
    Path conf = Files.writeString(tmp.resolve("release.yaml"), "config_version: 1\nfreeze: {buffer_bytes: 4096,"
        + " tasks_per_core: 4, progress_interval_seconds: 1, min_task_bytes: 1}\n");
    Cli.Run r = Cli.run("--config", conf.toString(), "freeze", "--dataset", ds.toString(), "--out", manifest.toString(),
        "--sha256sum", listing.toString(), "--quiet");
    assertEquals(0, r.exitCode(), r.err());

    DatasetManifest m = read(manifest);
    assertEquals(SIZES.length, m.shardCount());
    for (DatasetManifest.Shard s : m.shards()) {
      assertEquals(Datasets.sha256sum(ds.resolve(s.path())), s.sha256(), s.path());
      assertEquals(Files.size(ds.resolve(s.path())), s.size());
    }
    byte[] listingBytes = Files.readAllBytes(listing);
    assertEquals(Sha256.hex(listingBytes), m.rootSha256());
    assertTrue(r.out().contains("dataset_version: sha256:" + m.rootSha256()), r.out());

    Process check = new ProcessBuilder("sha256sum", "-c", "--strict", listing.toString())
        .directory(ds.toFile()).redirectErrorStream(true).start();
    String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, check.waitFor(), out);
    assertEquals(SIZES.length, out.lines().filter(l -> l.endsWith(": OK")).count());

    String json = Files.readString(manifest);
    assertTrue(json.endsWith("}\n"));
    assertTrue(json.indexOf("\"dataset_uri\"") < json.indexOf("\"format_version\"")
        && json.indexOf("\"format_version\"") < json.indexOf("\"root_sha256\""), "sorted keys");
  }

  @Test
  void refreezingIsIdempotentButAChangedDatasetConflicts() throws Exception {
    Path ds = dataset();
    Path manifest = tmp.resolve("manifest.json");
    assertEquals(0, Cli.run("freeze", "--dataset", ds.toString(), "--out", manifest.toString(), "--quiet").exitCode());
    byte[] first = Files.readAllBytes(manifest);

    Cli.Run again = Cli.run("freeze", "--dataset", ds.toString(), "--out", manifest.toString(), "--quiet");
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("already present, identical"), again.out());

    Files.write(ds.resolve("new-shard.bin"), new byte[] {1, 2, 3});
    Cli.Run conflict = Cli.run("freeze", "--dataset", ds.toString(), "--out", manifest.toString(), "--quiet");
    assertEquals(ExitCode.CONFLICT.code(), conflict.exitCode(), conflict.err());
    assertTrue(conflict.err().contains("already exists with different content"), conflict.err());
    assertArrayEquals(first, Files.readAllBytes(manifest), "old manifest untouched");
  }

  @Test
  void includeGlobSelectsShardsAndIsRecorded() throws Exception {
    Path ds = dataset();
    Files.writeString(ds.resolve("README.txt"), "not a shard");
    Path manifest = tmp.resolve("m.json");
    assertEquals(0, Cli.run("freeze", "--dataset", ds.toString(), "--include", "**/*.bin",
        "--out", manifest.toString(), "--quiet").exitCode());
    DatasetManifest m = read(manifest);
    assertEquals(SIZES.length, m.shardCount());
    assertEquals("**/*.bin", m.selection().include());
    assertEquals(0, Cli.run("verify-dataset", "--manifest", manifest.toString(), "--quiet").exitCode());
  }

  @Test
  void aGlobOfShardsIsRelativeToItsFixedDirectory() throws Exception {
    Path ds = dataset();
    Path manifest = tmp.resolve("m.json");
    Cli.Run r = Cli.run("freeze", "--dataset", ds + "/sub1/*", "--out", manifest.toString(), "--quiet");
    assertEquals(0, r.exitCode(), r.err());
    DatasetManifest m = read(manifest);
    // The root is the glob's fixed directory, so paths are relative to sub1/ and sha256sum -c runs there.
    assertEquals(List.of("part-1.bin", "part-10.bin", "part-4.bin", "part-7.bin"),
        m.shards().stream().map(DatasetManifest.Shard::path).toList());
    assertTrue(m.selection().datasetUri().endsWith("/ds/sub1/*"), m.selection().datasetUri());
    assertEquals(0, Cli.run("verify-dataset", "--manifest", manifest.toString(), "--quiet").exitCode());
  }

  @Test
  void emptyDatasetIsRefusedAndNothingWritten() throws Exception {
    Path ds = Files.createDirectories(tmp.resolve("empty/sub"));
    Path manifest = tmp.resolve("m.json");
    Cli.Run r = Cli.run("freeze", "--dataset", ds.getParent().toString(), "--out", manifest.toString(), "--quiet");
    assertEquals(ExitCode.BAD_INPUT.code(), r.exitCode());
    assertTrue(r.err().contains("empty dataset"), r.err());
    assertFalse(Files.exists(manifest));
  }

  @Test
  void missingDatasetIsRefused() {
    Cli.Run r = Cli.run("freeze", "--dataset", tmp.resolve("nope").toString(), "--out", tmp.resolve("m.json").toString());
    assertEquals(ExitCode.BAD_INPUT.code(), r.exitCode());
    assertTrue(r.err().contains("not found"), r.err());
  }

  @Test
  void symlinksAreRefusedUnlessFollowedAndNeverOutOfTheRoot() throws Exception {
    Path ds = dataset();
    Files.createSymbolicLink(ds.resolve("link.bin"), ds.resolve("part-0.bin"));
    Path manifest = tmp.resolve("m.json");
    Cli.Run refused = Cli.run("freeze", "--dataset", ds.toString(), "--out", manifest.toString(), "--quiet");
    assertEquals(ExitCode.BAD_INPUT.code(), refused.exitCode());
    assertTrue(refused.err().contains("link.bin: symbolic link"), refused.err());
    assertFalse(Files.exists(manifest));

    Cli.Run followed = Cli.run("freeze", "--dataset", ds.toString(), "--follow-symlinks", "--out", manifest.toString(), "--quiet");
    assertEquals(0, followed.exitCode(), followed.err());
    DatasetManifest m = read(manifest);
    assertEquals(SIZES.length + 1, m.shardCount());
    assertTrue(m.selection().followSymlinks());

    Path outside = Files.writeString(tmp.resolve("outside.txt"), "secret");
    Files.createSymbolicLink(ds.resolve("escape.txt"), outside);
    Path manifest2 = tmp.resolve("m2.json");
    Cli.Run escaped = Cli.run("freeze", "--dataset", ds.toString(), "--follow-symlinks", "--out", manifest2.toString(), "--quiet");
    assertEquals(ExitCode.BAD_INPUT.code(), escaped.exitCode());
    assertTrue(escaped.err().contains("escapes the dataset root"), escaped.err());
    assertFalse(Files.exists(manifest2));
  }

  @Test
  void outputInsideTheDatasetIsRefusedBeforeHashing() throws Exception {
    Path ds = dataset();
    List<Path> before;
    try (var s = Files.walk(ds)) {
      before = s.sorted().toList();
    }
    Cli.Run r = Cli.run("freeze", "--dataset", ds.toString(), "--out", ds.resolve("manifest.json").toString());
    assertEquals(ExitCode.BAD_INPUT.code(), r.exitCode());
    assertTrue(r.err().contains("lies inside the dataset"), r.err());
    try (var s = Files.walk(ds)) {
      assertEquals(before, s.sorted().toList());
    }
  }

  @Test
  void unreadableShardIsRefused() throws Exception {
    Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root reads every file");
    Path ds = dataset();
    Path shard = ds.resolve("part-0.bin");
    shard.toFile().setReadable(false, false);
    Cli.Run r = Cli.run("freeze", "--dataset", ds.toString(), "--out", tmp.resolve("m.json").toString());
    assertEquals(ExitCode.BAD_INPUT.code(), r.exitCode());
    assertTrue(r.err().contains("part-0.bin") && r.err().contains("unreadable"), r.err());
  }

  @Test
  void aNonRegularFileIsRefused() throws Exception {
    Path ds = dataset();
    Process mkfifo = new ProcessBuilder("mkfifo", ds.resolve("pipe").toString()).start();
    Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo available");
    Cli.Run r = Cli.run("freeze", "--dataset", ds.toString(), "--out", tmp.resolve("m.json").toString());
    assertEquals(ExitCode.BAD_INPUT.code(), r.exitCode());
    assertTrue(r.err().contains("pipe: not a regular file"), r.err());
  }

  /** A shard that grows between listing and hashing: the plan says one size, the file another. */
  @Test
  void aShardThatChangedAfterListingIsAnIntegrityFailure() throws Exception {
    Path ds = dataset();
    var conf = TestSpark.session().sparkContext().hadoopConfiguration();
    FreezePlan plan = new ShardPlanner(conf).plan(ResolvedSelection.resolve(new DatasetSelection(ds.toString(), null, false), conf), false);
    Path grown = ds.resolve(plan.shards().get(3).path());
    Files.write(grown, new byte[] {9}, java.nio.file.StandardOpenOption.APPEND);
    IntegrityException e = assertThrows(IntegrityException.class,
        () -> new ShardHashJob(TestSpark.session(), FreezeSettings.DEFAULTS, null).hash("freeze", plan.shards()));
    assertTrue(e.getMessage().contains(plan.shards().get(3).path()) && e.getMessage().contains("changed"), e.getMessage());
  }

  @Test
  void progressIsPrintedUnlessQuiet() throws Exception {
    Path ds = dataset();
    Cli.Run r = Cli.run("freeze", "--dataset", ds.toString(), "--out", tmp.resolve("m.json").toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().matches("(?s).*freeze: .* / .* \\(100\\.0%\\), .* GB/s, ETA .*"), r.err());
  }
}
