package io.m31r.release.shards;

import java.util.Map;

/** Raw little-endian int32 token ids: the count follows from the size alone. */
final class Int32TokenInspector implements ShardInspector {
  @Override
  public void update(byte[] bytes, int offset, int length) {}

  @Override
  public Map<String, Long> counts(long totalBytes) {
    return totalBytes % Integer.BYTES == 0 ? Map.of("tokens", totalBytes / Integer.BYTES) : Map.of();
  }
}
