package io.m31r.release.hashing;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The digest of one shard's raw bytes plus optional format-aware counts (records, tokens). Counts
 * never stand in for the hash; they are only extra facts for the manifest.
 */
public record ShardDigest(long size, String sha256, Map<String, Long> counts) implements Serializable {
  public ShardDigest {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0: " + size);
    }
    if (!Hex.isSha256(sha256)) {
      throw new IllegalArgumentException("not a lower-case SHA-256: " + sha256);
    }
    counts = Map.copyOf(new TreeMap<>(Objects.requireNonNull(counts, "counts")));
  }
}
