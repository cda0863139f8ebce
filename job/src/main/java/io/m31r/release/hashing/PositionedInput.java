package io.m31r.release.hashing;

import java.io.IOException;

/**
 * Reads bytes at an absolute position without moving a shared cursor: the shape of Hadoop's
 * {@code PositionedReadable} and of {@code FileChannel.read(ByteBuffer, long)}, kept free of both so
 * that the hasher is testable without Hadoop.
 */
@FunctionalInterface
public interface PositionedInput {
  /**
   * Reads up to {@code length} bytes starting at {@code position}.
   *
   * @return the number of bytes read, or -1 at end of input
   */
  int read(long position, byte[] buffer, int offset, int length) throws IOException;
}
