package io.m31r.release.freeze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.testing.Cli;
import io.m31r.release.testing.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The freeze and verify-dataset contract on a real remote store (HDFS, S3A). Every check compares
 * with an independent reference (GNU sha256sum, a local freeze of the same bytes) and every refusal
 * also checks that the store was left exactly as it was.
 *
 * <p>Subclasses start the store once per class and give raw access to it that bypasses the code
 * under test, so that tampering and inspection do not depend on what is being tested.
 */
abstract class RemoteStoreFreezeContract {
  /** Sizes around the 64 KiB read buffer and, on HDFS with 1 MiB blocks, across block boundaries. */
  static final int[] SIZES = {0, 1, 65535, 65536, 65537, (1 << 20) + 3, (2 << 20) + 1, 4096, 7};

  /** The store URI of a key, e.g. {@code hdfs://127.0.0.1:PORT/key}. */
  abstract String uri(String key);

  abstract void put(String key, byte[] bytes) throws Exception;

  /** The bytes of a key, or null when it does not exist. */
  abstract byte[] get(String key) throws Exception;

  abstract void delete(String key) throws Exception;

  /** Every file key under a prefix, recursively. */
  abstract List<String> list(String prefix) throws Exception;

  /** Options placed before the command (e.g. {@code --config FILE}); none by default. */
  List<String> globalArgs() {
    return List.of();
  }

  @TempDir Path tmp;

  private String prefix;

  @BeforeEach
  void prefix(TestInfo info) {
    // One prefix per test: tests tamper with their data, the store lives for the whole class.
    prefix = info.getTestMethod().orElseThrow().getName();
  }

  @Test
  void freezeDigestsEqualSha256sumAndTheLocalFreeze() throws Exception {
    Map<String, Path> local = localDataset(11);
    upload(local, "ds");

    Cli.Run run = freeze("ds", "out/manifest.json", "out/SUMS");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("manifest: " + uri(key("out/manifest.json")) + " (written)"), run::out);

    DatasetManifest m = manifest("out/manifest.json");
    assertEquals(uri(key("ds")), m.selection().datasetUri());
    assertEquals(local.size(), m.shardCount());
    Map<String, String> want = new TreeMap<>();
    for (var e : local.entrySet()) {
      want.put(e.getKey(), Datasets.sha256sum(e.getValue()));
    }
    Map<String, String> got =
        m.shards().stream().collect(Collectors.toMap(DatasetManifest.Shard::path, DatasetManifest.Shard::sha256, (a, b) -> a, TreeMap::new));
    assertEquals(want, got);
    for (DatasetManifest.Shard s : m.shards()) {
      assertEquals(Files.size(local.get(s.path())), s.size(), s.path());
    }

    Path localManifest = tmp.resolve("local.json");
    Path localSums = tmp.resolve("local.SUMS");
    Cli.Run localRun =
        Cli.run("freeze", "--quiet", "--dataset", tmp.resolve("ds").toString(),
            "--out", localManifest.toString(), "--sha256sum", localSums.toString());
    assertEquals(0, localRun.exitCode(), localRun::toString);
    DatasetManifest localM = ManifestCodec.decode("local", Files.readAllBytes(localManifest));
    assertEquals(localM.rootSha256(), m.rootSha256());
    assertEquals(localM.shards(), m.shards());
    assertArrayEquals(Files.readAllBytes(localSums), get(key("out/SUMS")));

    Cli.Run verify = verify("out/manifest.json");
    assertEquals(0, verify.exitCode(), verify::toString);
    assertTrue(verify.out().contains("ok: " + local.size() + " shards identical to sha256:" + m.rootSha256()), verify::out);
  }

  @Test
  void verifyDatasetNamesEveryChangedMissingAndExtraShard() throws Exception {
    Map<String, Path> local = localDataset(12);
    upload(local, "ds");
    Cli.Run run = freeze("ds", "out/manifest.json", null);
    assertEquals(0, run.exitCode(), run::toString);
    byte[] manifestBefore = get(key("out/manifest.json"));

    // Same size, one byte flipped past the first MiB (the second block on HDFS): only the hash can tell.
    flipByte("ds/part-6.bin", (1 << 20) + 5);
    byte[] shorter = Arrays.copyOf(Files.readAllBytes(local.get("sub2/part-5.bin")), (1 << 20));
    put(key("ds/sub2/part-5.bin"), shorter);
    delete(key("ds/sub1/part-4.bin"));
    put(key("ds/sub2/new.bin"), new byte[] {1, 2, 3});

    Cli.Run verify = verify("out/manifest.json");
    assertEquals(4, verify.exitCode(), verify::toString);
    List<String> findings =
        verify.out().lines().filter(l -> !l.startsWith("ok:")).collect(Collectors.toList());
    assertEquals(4, findings.size(), verify::out);
    assertTrue(findings.get(0).startsWith("changed: part-6.bin (sha256 "), verify::out);
    assertEquals("changed: sub2/part-5.bin (size " + ((1 << 20) + 3) + " -> " + (1 << 20) + ")", findings.get(1));
    assertEquals("missing: sub1/part-4.bin", findings.get(2));
    assertEquals("extra: sub2/new.bin", findings.get(3));
    assertTrue(verify.err().contains("2 changed, 1 missing, 1 extra"), verify::err);
    assertArrayEquals(manifestBefore, get(key("out/manifest.json")));
  }

  @Test
  void manifestIsWrittenOnceAndNeverReplaced() throws Exception {
    Map<String, Path> local = localDataset(13);
    upload(local, "ds");
    Cli.Run first = freeze("ds", "out/manifest.json", "out/SUMS");
    assertEquals(0, first.exitCode(), first::toString);
    byte[] manifest = get(key("out/manifest.json"));
    byte[] sums = get(key("out/SUMS"));
    assertNotNull(manifest);
    assertNotNull(sums);

    Cli.Run again = freeze("ds", "out/manifest.json", "out/SUMS");
    assertEquals(0, again.exitCode(), again::toString);
    assertTrue(again.out().contains("(already present, identical)"), again::out);
    assertArrayEquals(manifest, get(key("out/manifest.json")));
    assertArrayEquals(sums, get(key("out/SUMS")));

    flipByte("ds/sub1/part-1.bin", 0);
    Cli.Run changed = freeze("ds", "out/manifest.json", "out/SUMS");
    assertEquals(5, changed.exitCode(), changed::toString);
    assertTrue(changed.err().contains("already exists with different content"), changed::err);
    assertArrayEquals(manifest, get(key("out/manifest.json")));
    assertArrayEquals(sums, get(key("out/SUMS")));

    // A conflict on the listing alone must not leave the new manifest behind.
    Cli.Run listingConflict = freeze("ds", "out/manifest-2.json", "out/SUMS");
    assertEquals(5, listingConflict.exitCode(), listingConflict::toString);
    assertNull(get(key("out/manifest-2.json")));
    assertArrayEquals(sums, get(key("out/SUMS")));

    List<String> outputs = list(key("out"));
    assertEquals(List.of(key("out/SUMS"), key("out/manifest.json")), outputs, "no temporary files left behind");
  }

  @Test
  void aDirectoryWhereTheManifestGoesIsAConflict() throws Exception {
    upload(localDataset(14), "ds");
    byte[] inside = {42};
    put(key("out/manifest.json/inside"), inside);

    Cli.Run run = freeze("ds", "out/manifest.json", null);
    assertEquals(5, run.exitCode(), run::toString);
    assertTrue(run.err().contains("out/manifest.json already exists and is not a file"), run::err);
    assertEquals(List.of(key("out/manifest.json/inside")), list(key("out")), "nothing written into the directory");
    assertArrayEquals(inside, get(key("out/manifest.json/inside")));

    // The same refusal on local files, where the writer takes another path (hard links).
    Path localTarget = tmp.resolve("local-out/manifest.json");
    Files.createDirectories(localTarget);
    Files.write(localTarget.resolve("inside"), inside);
    Cli.Run local =
        Cli.run("freeze", "--quiet", "--dataset", tmp.resolve("ds").toString(), "--out", localTarget.toString());
    assertEquals(5, local.exitCode(), local::toString);
    try (var entries = Files.list(localTarget)) {
      assertEquals(List.of(localTarget.resolve("inside")), entries.collect(Collectors.toList()));
    }
    assertArrayEquals(inside, Files.readAllBytes(localTarget.resolve("inside")));
  }

  String key(String rel) {
    return prefix + "/" + rel;
  }

  private Map<String, Path> localDataset(long seed) throws IOException {
    Path dir = tmp.resolve("ds");
    Map<String, Path> byRel = new TreeMap<>();
    for (Path p : Datasets.write(dir, seed, SIZES)) {
      byRel.put(dir.relativize(p).toString().replace('\\', '/'), p);
    }
    return byRel;
  }

  private void upload(Map<String, Path> local, String dir) throws Exception {
    for (var e : local.entrySet()) {
      put(key(dir + "/" + e.getKey()), Files.readAllBytes(e.getValue()));
    }
  }

  private void flipByte(String rel, int at) throws Exception {
    byte[] b = get(key(rel));
    b[at] ^= 0x01;
    put(key(rel), b);
  }

  private DatasetManifest manifest(String rel) throws Exception {
    byte[] bytes = get(key(rel));
    assertNotNull(bytes, rel + " was not written");
    return ManifestCodec.decode(rel, bytes);
  }

  private Cli.Run freeze(String dataset, String out, String sums) {
    List<String> args = new ArrayList<>(globalArgs());
    args.addAll(List.of("freeze", "--quiet", "--dataset", uri(key(dataset)), "--out", uri(key(out))));
    if (sums != null) {
      args.addAll(List.of("--sha256sum", uri(key(sums))));
    }
    return Cli.run(args.toArray(String[]::new));
  }

  private Cli.Run verify(String manifest) {
    List<String> args = new ArrayList<>(globalArgs());
    args.addAll(List.of("verify-dataset", "--quiet", "--manifest", uri(key(manifest))));
    Cli.Run r = Cli.run(args.toArray(String[]::new));
    assertFalse(r.err().contains("internal error"), r::err);
    return r;
  }
}
