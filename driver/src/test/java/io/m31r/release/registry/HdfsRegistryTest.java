package io.m31r.release.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.ConflictException;
import io.m31r.release.packaging.ReleaseFiles;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.packaging.ReleaseVerifier;
import io.m31r.release.packaging.StagedRelease;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.ReleaseFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publish, verify, index and rollback against a real in-process HDFS on loopback. */
class HdfsRegistryTest {
  @TempDir static Path clusterDir;
  @TempDir Path tmp;

  private static MiniDFSCluster cluster;
  private static URI base;
  /** The test's own client, separate from the cached one the code under test gets. */
  private static FileSystem fs;

  @BeforeAll
  static void startCluster() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, clusterDir.resolve("dfs").toString());
    conf.setInt("dfs.replication", 1);
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    base = URI.create("hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/");
    fs = FileSystem.newInstance(base, conf);
  }

  @AfterAll
  static void stopCluster() throws IOException {
    try {
      if (fs != null) {
        fs.close();
      }
      if (base != null) {
        FileSystem.get(base, new Configuration()).close();
      }
    } finally {
      if (cluster != null) {
        cluster.shutdown(true);
      }
    }
  }

  private static org.apache.hadoop.fs.Path hdfs(String key) {
    return new org.apache.hadoop.fs.Path(base.resolve(key));
  }

  private static String read(String key) throws IOException {
    try (InputStream in = fs.open(hdfs(key))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void publishesAtomicallyReadOnlyAndVerifiesOnHdfs() throws Exception {
    String rootUri = base.resolve("a/release").toString();
    ReleaseRoot root = ReleaseRoot.at(rootUri, new Configuration());
    StagedRelease v1 = ReleaseFixtures.stage(tmp.resolve("w1"), "1.0.0", ReleaseType.A, 0);
    PublishedRelease published = new ReleasePublisher().publish(v1, root, "1.0.0", false);
    assertEquals(hdfs("a/release/1.0.0"), published.dir());

    assertEquals((short) 0555, fs.getFileStatus(hdfs("a/release/1.0.0")).getPermission().toShort());
    List<String> names = new ArrayList<>();
    for (FileStatus s : fs.listStatus(hdfs("a/release/1.0.0"))) {
      names.add(s.getPath().getName());
      assertEquals((short) 0444, s.getPermission().toShort(), s.getPath().getName());
    }
    names.sort(null);
    assertEquals(ReleaseFiles.ALL.stream().sorted().toList(), names);
    assertEquals(0, fs.listStatus(hdfs("a/release/.staging")).length, "staging copy was renamed away");
    assertEquals(List.of(), new ReleaseVerifier().verify(published.dir(), new Configuration()).problems());
    Cli.Run ok = ReleaseFixtures.cli("verify", "1.0.0", "--root", rootUri);
    assertEquals(0, ok.exitCode(), ok.err());

    StagedRelease again = ReleaseFixtures.stage(tmp.resolve("w2"), "1.0.0", ReleaseType.A, 1);
    String checksumBefore = read("a/release/1.0.0/checksum.txt");
    assertThrows(ConflictException.class, () -> new ReleasePublisher().publish(again, root, "1.0.0", false));
    assertEquals(checksumBefore, read("a/release/1.0.0/checksum.txt"));
    assertFalse(fs.exists(hdfs("a/release/1.0.0/1.0.0")), "never moved into the existing directory");
  }

  @Test
  void verifyNamesACorruptedFileOnHdfs() throws Exception {
    ReleaseRoot root = ReleaseRoot.at(base.resolve("b/release").toString(), new Configuration());
    StagedRelease v1 = ReleaseFixtures.stage(tmp, "1.0.0", ReleaseType.A, 0);
    new ReleasePublisher().publish(v1, root, "1.0.0", false);
    String text = read("b/release/1.0.0/config.yaml").replace("n_heads: 1", "n_heads: 2");
    try (OutputStream out = fs.create(hdfs("b/release/1.0.0/config.yaml"), true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    List<String> problems = new ReleaseVerifier().verify(hdfs("b/release/1.0.0"), new Configuration()).problems();
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("checksum.txt") && p.contains("config.yaml")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("metadata.json config_hash")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("does not match config.yaml")), problems.toString());
  }

  @Test
  void indexCurrentAndRollbackOnHdfs() throws Exception {
    String rootUri = base.resolve("c/release").toString();
    ReleaseRoot root = ReleaseRoot.at(rootUri, new Configuration());
    new ReleasePublisher().publish(ReleaseFixtures.stage(tmp.resolve("1"), "1.0.0", ReleaseType.A, 0), root, "1.0.0", false);
    new ReleaseIndex().rebuild(root);
    new ReleasePublisher().publish(ReleaseFixtures.stage(tmp.resolve("2"), "1.1.0", ReleaseType.D, 1), root, "1.1.0", true);
    new ReleaseIndex().rebuild(root);
    assertEquals("1.0.0\n", read("c/release/CURRENT"));
    new ReleasePublisher().publish(ReleaseFixtures.stage(tmp.resolve("3"), "2.0.0", ReleaseType.A, 2), root, "2.0.0", false);
    new ReleaseIndex().rebuild(root);
    assertEquals("2.0.0\n", read("c/release/CURRENT"));
    assertTrue(read("c/release/index.json").contains("\"path\": \"experiments/1.1.0\""));

    Cli.Run r = ReleaseFixtures.cli("rollback", "--to", "1.0.0", "--root", rootUri);
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("1.0.0\n", read("c/release/CURRENT"));
    assertEquals(List.of("1.0.0", "1.1.0", "2.0.0"), root.list().stream().map(ReleaseEntry::version).toList());
  }
}
