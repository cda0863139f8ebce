package io.m31r.release.freeze;

import io.m31r.release.tasks.freeze.PlannedShard;
import java.util.List;

/**
 * The listed dataset: its root (the directory every shard path is relative to) and its shards
 * sorted by path.
 */
public record FreezePlan(DatasetSelection selection, String root, List<PlannedShard> shards) {
  public FreezePlan {
    shards = List.copyOf(shards);
  }

  public long totalBytes() {
    return shards.stream().mapToLong(PlannedShard::size).sum();
  }
}
