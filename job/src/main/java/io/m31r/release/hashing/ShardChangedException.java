package io.m31r.release.hashing;

import io.m31r.release.failure.IntegrityException;

/** The bytes read did not add up to the size planned for the shard: it changed while hashed. */
public final class ShardChangedException extends IntegrityException {
  public ShardChangedException(String path, long plannedSize, long bytesRead) {
    super(
        "shard "
            + path
            + " changed while it was hashed: planned "
            + plannedSize
            + " bytes, read "
            + bytesRead);
  }
}
