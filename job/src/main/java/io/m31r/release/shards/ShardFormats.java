package io.m31r.release.shards;

import java.util.Locale;

/**
 * Picks the inspector for a shard by its name: upstream token shards ({@code .json} holding
 * {@code {"tokens": [...]}}, {@code .bin} little-endian int32) and JSONL text shards.
 */
public final class ShardFormats {
  private ShardFormats() {}

  public static ShardInspector inspectorFor(String path) {
    String name = path.toLowerCase(Locale.ROOT);
    if (name.endsWith(".bin")) {
      return new Int32TokenInspector();
    }
    if (name.endsWith(".jsonl")) {
      return new JsonlRecordInspector();
    }
    if (name.endsWith(".json")) {
      return new TokenJsonInspector();
    }
    return ShardInspector.NONE;
  }
}
