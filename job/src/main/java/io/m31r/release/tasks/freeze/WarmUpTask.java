package io.m31r.release.tasks.freeze;

import io.m31r.release.hashing.ShardHasher;
import io.m31r.release.shards.ShardInspector;
import java.io.IOException;
import java.util.Iterator;
import org.apache.spark.api.java.function.VoidFunction;

/**
 * Runs the hashing path once on an executor (1 MiB of zeros), so that the executor has loaded
 * the task and hashing classes and paid Spark's first-job costs before the first shard arrives.
 * Hashing more to warm the JIT did not help: 1 byte, 8 MiB, 48 MiB and 256 MiB gave the same
 * hash phase on 16 x 128 MiB within noise.
 */
public final class WarmUpTask implements VoidFunction<Iterator<Integer>> {
  private static final long serialVersionUID = 1L;
  static final long BYTES = 1L << 20;

  private final int bufferBytes;

  public WarmUpTask(int bufferBytes) {
    this.bufferBytes = bufferBytes;
  }

  @Override
  public void call(Iterator<Integer> slots) throws IOException {
    byte[] zeros = new byte[bufferBytes];
    new ShardHasher(bufferBytes)
        .hash(
            "warm-up",
            (position, buffer, offset, length) -> {
              if (position >= BYTES) {
                return -1;
              }
              int n = (int) Math.min(length, BYTES - position);
              System.arraycopy(zeros, 0, buffer, offset, n);
              return n;
            },
            BYTES,
            ShardInspector.NONE,
            ShardHasher.ByteProgress.NONE);
  }
}
