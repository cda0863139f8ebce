package io.m31r.release.freeze;

import io.m31r.release.hashing.ShardHasher;
import io.m31r.release.shards.ShardInspector;
import java.io.IOException;
import java.util.Iterator;
import org.apache.spark.api.java.function.VoidFunction;

/**
 * Hashes a few MiB of zeros on an executor so that its JVM has loaded the task and hashing code
 * and compiled SHA-256's hot loop before the first shard arrives. A fresh JVM otherwise hashes its
 * first half gigabyte at about half speed, and the first job pays Spark's class loading.
 */
final class WarmUpTask implements VoidFunction<Iterator<Integer>> {
  private static final long serialVersionUID = 1L;
  static final long BYTES = 48L << 20;

  private final int bufferBytes;

  WarmUpTask(int bufferBytes) {
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
