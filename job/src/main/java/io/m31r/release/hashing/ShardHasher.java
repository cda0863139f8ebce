package io.m31r.release.hashing;

import io.m31r.release.shards.ShardInspector;
import java.io.IOException;
import java.security.MessageDigest;

/**
 * Streams one shard through SHA-256 with positioned reads into one reused buffer.
 *
 * <p>The buffer is capped at 64 KiB: on these machines larger reads were measurably slower (they
 * fall out of L2 before the digest consumes them). One instance per thread; it is not thread-safe.
 */
public final class ShardHasher {
  public static final int MAX_BUFFER_BYTES = 64 * 1024;
  static final int MAX_EMPTY_READS = 100;

  private final byte[] buffer;
  private final MessageDigest digest = Sha256.newDigest();

  public ShardHasher(int bufferBytes) {
    if (bufferBytes < 1 || bufferBytes > MAX_BUFFER_BYTES) {
      throw new IllegalArgumentException(
          "buffer size must be in [1, " + MAX_BUFFER_BYTES + "]: " + bufferBytes);
    }
    this.buffer = new byte[bufferBytes];
  }

  public ShardHasher() {
    this(MAX_BUFFER_BYTES);
  }

  /**
   * Hashes the input to its end and checks that exactly {@code plannedSize} bytes were there.
   *
   * @param path the shard's name, for messages only
   * @param progress told of every chunk's length, so the caller can report bytes done
   * @throws ShardChangedException when the input ends before or continues after the planned size
   */
  public ShardDigest hash(
      String path,
      PositionedInput input,
      long plannedSize,
      ShardInspector inspector,
      ByteProgress progress)
      throws IOException {
    digest.reset();
    long position = 0;
    int stalls = 0;
    while (true) {
      int want = (int) Math.min(buffer.length, Math.max(plannedSize - position, 1));
      int n = input.read(position, buffer, 0, want);
      if (n < 0) {
        break;
      }
      if (n == 0) {
        // A positioned read of a non-empty range returns 0 only from a broken store; give up
        // rather than spin forever (exit 1, retried by Spark and the scheduler).
        if (++stalls > MAX_EMPTY_READS) {
          throw new IOException(path + ": " + MAX_EMPTY_READS + " empty reads at offset " + position);
        }
        continue;
      }
      stalls = 0;
      digest.update(buffer, 0, n);
      inspector.update(buffer, 0, n);
      position += n;
      progress.advance(n);
      if (position > plannedSize) {
        throw new ShardChangedException(path, plannedSize, position);
      }
    }
    if (position != plannedSize) {
      throw new ShardChangedException(path, plannedSize, position);
    }
    return new ShardDigest(position, Hex.of(digest.digest()), inspector.counts(position));
  }

  /** Receives the number of bytes consumed, chunk by chunk. */
  @FunctionalInterface
  public interface ByteProgress {
    ByteProgress NONE = n -> {};

    void advance(int bytes);
  }
}
