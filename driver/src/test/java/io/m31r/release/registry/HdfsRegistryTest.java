package io.m31r.release.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.ConflictException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.packaging.ReleaseVerifier;
import io.m31r.release.packaging.StagedRelease;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.MiniHdfs;
import io.m31r.release.testing.ReleaseFixtures;
import io.m31r.release.version.Semver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Publish, verify, index and rollback against a real in-process HDFS on loopback. */
class HdfsRegistryTest {
  @RegisterExtension static final MiniHdfs HDFS = new MiniHdfs();

  @TempDir Path tmp;

  private static String read(String key) throws IOException {
    return new String(HDFS.read(key), StandardCharsets.UTF_8);
  }

  @Test
  void publishesAtomicallyReadOnlyAndVerifiesOnHdfs() throws Exception {
    String rootUri = HDFS.uri("a/release");
    ReleaseRoot root = ReleaseRoot.at(rootUri, new Configuration());
    StagedRelease v1 = ReleaseFixtures.stage(tmp.resolve("w1"), "1.0.0", ReleaseType.A, 0);
    PublishedRelease published = new ReleasePublisher().publish(v1, root, Semver.parse("1.0.0"), false);
    assertEquals(HDFS.path("a/release/1.0.0"), published.dir());

    assertEquals((short) 0555, HDFS.fs().getFileStatus(HDFS.path("a/release/1.0.0")).getPermission().toShort());
    List<String> names = new ArrayList<>();
    for (FileStatus s : HDFS.fs().listStatus(HDFS.path("a/release/1.0.0"))) {
      names.add(s.getPath().getName());
      assertEquals((short) 0444, s.getPermission().toShort(), s.getPath().getName());
    }
    names.sort(null);
    assertEquals(ReleaseFiles.ALL.stream().sorted().toList(), names);
    assertEquals(0, HDFS.fs().listStatus(HDFS.path("a/release/.staging")).length, "staging copy was renamed away");
    assertEquals(List.of(), new ReleaseVerifier().verify(published.dir(), new Configuration()).problems());
    Cli.Run ok = ReleaseFixtures.cli("verify", "1.0.0", "--root", rootUri);
    assertEquals(0, ok.exitCode(), ok.err());

    StagedRelease again = ReleaseFixtures.stage(tmp.resolve("w2"), "1.0.0", ReleaseType.A, 1);
    String checksumBefore = read("a/release/1.0.0/checksum.txt");
    assertThrows(ConflictException.class, () -> new ReleasePublisher().publish(again, root, Semver.parse("1.0.0"), false));
    assertEquals(checksumBefore, read("a/release/1.0.0/checksum.txt"));
    assertFalse(HDFS.fs().exists(HDFS.path("a/release/1.0.0/1.0.0")), "never moved into the existing directory");
  }

  @Test
  void verifyNamesACorruptedFileOnHdfs() throws Exception {
    ReleaseRoot root = ReleaseRoot.at(HDFS.uri("b/release"), new Configuration());
    StagedRelease v1 = ReleaseFixtures.stage(tmp, "1.0.0", ReleaseType.A, 0);
    new ReleasePublisher().publish(v1, root, Semver.parse("1.0.0"), false);
    String text = read("b/release/1.0.0/config.yaml").replace("n_heads: 1", "n_heads: 2");
    HDFS.write("b/release/1.0.0/config.yaml", text.getBytes(StandardCharsets.UTF_8));
    List<String> problems = new ReleaseVerifier().verify(HDFS.path("b/release/1.0.0"), new Configuration()).problems();
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("checksum.txt") && p.contains("config.yaml")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("metadata.json config_hash")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("does not match config.yaml")), problems.toString());
  }

  @Test
  void indexCurrentAndRollbackOnHdfs() throws Exception {
    String rootUri = HDFS.uri("c/release");
    ReleaseRoot root = ReleaseRoot.at(rootUri, new Configuration());
    new ReleasePublisher().publish(ReleaseFixtures.stage(tmp.resolve("1"), "1.0.0", ReleaseType.A, 0), root, Semver.parse("1.0.0"), false);
    new ReleaseIndex().rebuild(root);
    new ReleasePublisher().publish(ReleaseFixtures.stage(tmp.resolve("2"), "1.1.0", ReleaseType.D, 1), root, Semver.parse("1.1.0"), true);
    new ReleaseIndex().rebuild(root);
    assertEquals("1.0.0\n", read("c/release/CURRENT"));
    new ReleasePublisher().publish(ReleaseFixtures.stage(tmp.resolve("3"), "2.0.0", ReleaseType.A, 2), root, Semver.parse("2.0.0"), false);
    new ReleaseIndex().rebuild(root);
    assertEquals("2.0.0\n", read("c/release/CURRENT"));
    assertTrue(read("c/release/index.json").contains("\"path\": \"experiments/1.1.0\""));

    Cli.Run r = ReleaseFixtures.cli("rollback", "--to", "1.0.0", "--root", rootUri);
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("1.0.0\n", read("c/release/CURRENT"));
    assertEquals(List.of("1.0.0", "1.1.0", "2.0.0"), root.list().stream().map(e -> e.version().toString()).toList());
  }
}
