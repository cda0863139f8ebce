package io.m31r.release.freeze;

import io.m31r.release.hashing.ShardChangedException;
import io.m31r.release.hashing.ShardDigest;
import io.m31r.release.hashing.ShardHasher;
import io.m31r.release.shards.ShardFormats;
import io.m31r.release.storage.HadoopPositionedInput;
import io.m31r.release.storage.SerializableHadoopConf;
import io.m31r.release.storage.StorageUris;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.LongAccumulator;

/**
 * Runs on an executor: hashes every shard of its bin with one reused buffer. A shard whose size or
 * modification time differs from the plan after hashing is reported as changed.
 */
public final class ShardHashTask implements FlatMapFunction<Iterator<List<PlannedShard>>, HashOutcome> {
  private static final long serialVersionUID = 1L;

  private final SerializableHadoopConf conf;
  private final int bufferBytes;
  private final LongAccumulator bytesHashed;

  public ShardHashTask(SerializableHadoopConf conf, int bufferBytes, LongAccumulator bytesHashed) {
    this.conf = conf;
    this.bufferBytes = bufferBytes;
    this.bytesHashed = bytesHashed;
  }

  @Override
  public Iterator<HashOutcome> call(Iterator<List<PlannedShard>> bins) throws IOException {
    ShardHasher hasher = new ShardHasher(bufferBytes);
    List<HashOutcome> out = new ArrayList<>();
    while (bins.hasNext()) {
      for (PlannedShard shard : bins.next()) {
        out.add(hashOne(hasher, shard));
      }
    }
    return out.iterator();
  }

  private HashOutcome hashOne(ShardHasher hasher, PlannedShard shard) throws IOException {
    Path path = new Path(shard.location());
    FileSystem fs = StorageUris.fileSystem(path, conf.get());
    ShardDigest digest;
    try (FSDataInputStream in = fs.open(path)) {
      digest =
          hasher.hash(
              shard.path(),
              new HadoopPositionedInput(in),
              shard.size(),
              ShardFormats.inspectorFor(shard.path()),
              ShardHasher.ByteProgress.NONE);
    } catch (ShardChangedException e) {
      return HashOutcome.failed(shard.path(), HashOutcome.Failure.CHANGED, e.getMessage());
    } catch (org.apache.hadoop.security.AccessControlException e) {
      return unreadable(shard);
    } catch (FileNotFoundException e) {
      // Hadoop's local file system reports a permission problem as "file not found".
      if (String.valueOf(e.getMessage()).contains("Permission denied")) {
        return unreadable(shard);
      }
      return HashOutcome.failed(
          shard.path(), HashOutcome.Failure.CHANGED, "shard " + shard.path() + " vanished after it was listed");
    }
    bytesHashed.add(shard.size());
    FileStatus after = fs.getFileStatus(path);
    if (after.getLen() != shard.size() || after.getModificationTime() != shard.modificationTime()) {
      return HashOutcome.failed(
          shard.path(),
          HashOutcome.Failure.CHANGED,
          "shard " + shard.path() + " changed while it was hashed (size or modification time moved)");
    }
    return HashOutcome.ok(shard.path(), digest);
  }

  private static HashOutcome unreadable(PlannedShard shard) {
    return HashOutcome.failed(
        shard.path(), HashOutcome.Failure.UNREADABLE, "shard " + shard.path() + " is unreadable (permission denied)");
  }
}
