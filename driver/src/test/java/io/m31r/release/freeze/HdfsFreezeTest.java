package io.m31r.release.freeze;

import io.m31r.release.testing.MiniHdfs;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Freeze and verify-dataset against a real in-process HDFS (one name node, one data node on
 * loopback). The CLI gets nothing but {@code hdfs://127.0.0.1:PORT/...} URIs: the shared test
 * session has no HDFS settings, so this also proves that a host:port URI is all a run needs.
 */
class HdfsFreezeTest extends RemoteStoreFreezeContract {
  /** The smallest block size HDFS accepts by default, so that the larger shards span blocks. */
  @RegisterExtension static final MiniHdfs HDFS = new MiniHdfs(1 << 20);

  @Override
  String uri(String key) {
    return HDFS.uri(key);
  }

  @Override
  void put(String key, byte[] bytes) throws IOException {
    HDFS.write(key, bytes);
  }

  @Override
  byte[] get(String key) throws IOException {
    try {
      return HDFS.read(key);
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  @Override
  void delete(String key) throws IOException {
    if (!HDFS.fs().delete(HDFS.path(key), false)) {
      throw new IOException("nothing deleted at " + key);
    }
  }

  @Override
  List<String> list(String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = HDFS.fs().listFiles(HDFS.path(prefix), true);
    while (it.hasNext()) {
      keys.add(it.next().getPath().toUri().getPath().substring(1));
    }
    keys.sort(null);
    return keys;
  }
}
