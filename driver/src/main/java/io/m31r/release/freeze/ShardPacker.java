package io.m31r.release.freeze;

import io.m31r.release.tasks.freeze.PlannedShard;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Packs shards into task bins balanced by bytes: largest shard first into the lightest bin (the
 * LPT rule, within 4/3 of the best makespan). Many small shards share a task, so a task's fixed
 * cost is paid per bin, not per file. Bins come out heaviest first, so the longest tasks start
 * first and the stage does not end waiting on one late giant.
 */
public final class ShardPacker {
  private ShardPacker() {}

  public static List<List<PlannedShard>> pack(List<PlannedShard> shards, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("need at least one bin: " + bins);
    }
    int n = Math.min(bins, Math.max(shards.size(), 1));
    List<PlannedShard> bySize = new ArrayList<>(shards);
    bySize.sort(Comparator.comparingLong(PlannedShard::size).reversed().thenComparing(PlannedShard::path));
    List<Bin> all = new ArrayList<>();
    PriorityQueue<Bin> lightest =
        new PriorityQueue<>(Comparator.comparingLong((Bin b) -> b.bytes).thenComparingInt(b -> b.index));
    for (int i = 0; i < n; i++) {
      Bin b = new Bin(i);
      all.add(b);
      lightest.add(b);
    }
    for (PlannedShard s : bySize) {
      Bin b = lightest.poll();
      b.shards.add(s);
      // A zero-byte shard still costs an open: count it as one byte so empties spread out too.
      b.bytes += Math.max(s.size(), 1);
      lightest.add(b);
    }
    all.sort(Comparator.comparingLong((Bin b) -> b.bytes).reversed().thenComparingInt(b -> b.index));
    List<List<PlannedShard>> out = new ArrayList<>();
    for (Bin b : all) {
      if (!b.shards.isEmpty()) {
        out.add(List.copyOf(b.shards));
      }
    }
    return out;
  }

  private static final class Bin {
    final int index;
    final List<PlannedShard> shards = new ArrayList<>();
    long bytes;

    Bin(int index) {
      this.index = index;
    }
  }
}
