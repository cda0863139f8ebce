package io.m31r.release.tasks.freeze;

import io.m31r.release.hadoop.SerializableHadoopConf;
import io.m31r.release.hashing.ShardChangedException;
import io.m31r.release.hashing.ShardDigest;
import io.m31r.release.hashing.ShardHasher;
import io.m31r.release.shards.ShardFormats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
    ShardDigest digest;
    long[] after;
    try (ShardReader reader = ShardReader.open(shard, conf.get())) {
      digest =
          hasher.hash(
              shard.path(),
              reader.input(),
              shard.size(),
              ShardFormats.inspectorFor(shard.path()),
              ShardHasher.ByteProgress.NONE);
      after = reader.sizeAndModificationTime();
    } catch (ShardChangedException e) {
      return HashOutcome.failed(shard.path(), HashOutcome.Failure.CHANGED, e.getMessage());
    } catch (ShardReader.UnreadableException e) {
      return unreadable(shard);
    } catch (ShardReader.GoneException e) {
      return HashOutcome.failed(
          shard.path(), HashOutcome.Failure.CHANGED, "shard " + shard.path() + " vanished after it was listed");
    }
    bytesHashed.add(shard.size());
    if (after[0] != shard.size() || after[1] != shard.modificationTime()) {
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
