package io.m31r.release.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real in-process HDFS for one test class (one name node, one data node on loopback, replication
 * 1), registered as {@code @RegisterExtension static final MiniHdfs HDFS = new MiniHdfs()}.
 */
public final class MiniHdfs implements BeforeAllCallback, AfterAllCallback {
  private final OptionalLong blockSize;
  private Path baseDir;
  private MiniDFSCluster cluster;
  private URI root;
  private FileSystem fs;

  /** HDFS's default block size. */
  public MiniHdfs() {
    this.blockSize = OptionalLong.empty();
  }

  /** A block size of its own, e.g. small enough that test files span blocks. */
  public MiniHdfs(long blockSize) {
    if (blockSize <= 0) {
      throw new IllegalArgumentException("block size must be positive: " + blockSize);
    }
    this.blockSize = OptionalLong.of(blockSize);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    baseDir = Files.createTempDirectory("mini-hdfs");
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.resolve("dfs").toString());
    blockSize.ifPresent(b -> conf.setLong("dfs.blocksize", b));
    conf.setInt("dfs.replication", 1);
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    root = URI.create("hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/");
    fs = FileSystem.newInstance(root, conf);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (fs != null) {
        fs.close();
      }
      if (root != null) {
        // The instance the code under test cached would otherwise outlive its name node.
        FileSystem.get(root, new Configuration()).close();
      }
    } finally {
      try {
        if (cluster != null) {
          cluster.shutdown(true);
        }
      } finally {
        if (baseDir != null) {
          SampleWorkspaces.deleteTree(baseDir);
        }
      }
    }
  }

  /** {@code hdfs://127.0.0.1:PORT/}. */
  public URI root() {
    return started(root);
  }

  /** The URI of a key under the root, as a string for the CLI and the code under test. */
  public String uri(String key) {
    return root().resolve(key).toString();
  }

  public org.apache.hadoop.fs.Path path(String key) {
    return new org.apache.hadoop.fs.Path(root().resolve(key));
  }

  /** The test's own client, separate from the cached one the code under test gets. */
  public FileSystem fs() {
    return started(fs);
  }

  /** The bytes at a key, read with the test's own client. */
  public byte[] read(String key) throws IOException {
    try (InputStream in = fs().open(path(key))) {
      return in.readAllBytes();
    }
  }

  /** Creates or replaces the file at a key with the test's own client. */
  public void write(String key, byte[] bytes) throws IOException {
    try (OutputStream out = fs().create(path(key), true)) {
      out.write(bytes);
    }
  }

  private <T> T started(T value) {
    if (cluster == null) {
      throw new IllegalStateException("the MiniDFSCluster is not started: register MiniHdfs as a static extension");
    }
    return value;
  }
}
