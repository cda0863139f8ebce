package io.m31r.release.tasks.freeze;

import java.io.Serializable;

/**
 * A file chosen on the driver, with what the listing said about it. Executors check that size and
 * modification time still hold after hashing.
 *
 * @param path relative to the dataset root, '/'-separated
 * @param location the file's fully qualified URI
 */
public record PlannedShard(String path, String location, long size, long modificationTime)
    implements Serializable {
  public PlannedShard {
    if (path == null || path.isEmpty() || path.startsWith("/")) {
      throw new IllegalArgumentException("shard path must be relative and non-empty: " + path);
    }
    if (size < 0) {
      throw new IllegalArgumentException("negative size for " + path);
    }
  }
}
