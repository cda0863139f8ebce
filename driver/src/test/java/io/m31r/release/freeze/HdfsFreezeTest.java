package io.m31r.release.freeze;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freeze and verify-dataset against a real in-process HDFS (one name node, one data node on
 * loopback). The CLI gets nothing but {@code hdfs://127.0.0.1:PORT/...} URIs: the shared test
 * session has no HDFS settings, so this also proves that a host:port URI is all a run needs.
 */
class HdfsFreezeTest extends RemoteStoreFreezeContract {
  /** The smallest block size HDFS accepts by default, so that the larger shards span blocks. */
  private static final long BLOCK_SIZE = 1 << 20;

  @TempDir static Path clusterDir;

  private static MiniDFSCluster cluster;
  private static URI root;
  /** The test's own client, separate from the cached one the code under test gets. */
  private static FileSystem fs;

  @BeforeAll
  static void startCluster() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, clusterDir.resolve("dfs").toString());
    conf.setLong("dfs.blocksize", BLOCK_SIZE);
    conf.setInt("dfs.replication", 1);
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    root = URI.create("hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/");
    fs = FileSystem.newInstance(root, conf);
  }

  @AfterAll
  static void stopCluster() throws IOException {
    try {
      if (fs != null) {
        fs.close();
      }
      if (root != null) {
        // The instance the code under test cached would otherwise outlive its name node.
        FileSystem.get(root, new Configuration()).close();
      }
    } finally {
      if (cluster != null) {
        cluster.shutdown(true);
      }
    }
  }

  @Override
  String uri(String key) {
    return root.resolve(key).toString();
  }

  @Override
  void put(String key, byte[] bytes) throws IOException {
    try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(root.resolve(key)), true)) {
      out.write(bytes);
    }
  }

  @Override
  byte[] get(String key) throws IOException {
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(root.resolve(key)))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  @Override
  void delete(String key) throws IOException {
    if (!fs.delete(new org.apache.hadoop.fs.Path(root.resolve(key)), false)) {
      throw new IOException("nothing deleted at " + key);
    }
  }

  @Override
  List<String> list(String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(new org.apache.hadoop.fs.Path(root.resolve(prefix)), true);
    while (it.hasNext()) {
      keys.add(it.next().getPath().toUri().getPath().substring(1));
    }
    keys.sort(null);
    return keys;
  }
}
