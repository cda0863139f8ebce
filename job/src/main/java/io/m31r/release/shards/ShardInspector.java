package io.m31r.release.shards;

import java.util.Map;

/**
 * Sees a shard's bytes in order, in the same pass as the hash, and may derive format-aware counts
 * (records, tokens). It never fails a freeze: a shard that does not parse as its extension
 * suggests simply gets no counts.
 */
public interface ShardInspector {
  ShardInspector NONE =
      new ShardInspector() {
        @Override
        public void update(byte[] bytes, int offset, int length) {}

        @Override
        public Map<String, Long> counts(long totalBytes) {
          return Map.of();
        }
      };

  void update(byte[] bytes, int offset, int length);

  /** Counts for the whole shard, or an empty map when the content did not parse. */
  Map<String, Long> counts(long totalBytes);
}
