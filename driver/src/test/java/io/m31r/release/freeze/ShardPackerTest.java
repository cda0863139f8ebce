package io.m31r.release.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.tasks.freeze.PlannedShard;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShardPackerTest {
  private static PlannedShard shard(String name, long size) {
    return new PlannedShard(name, "file:/x/" + name, size, 0);
  }

  private static long bytes(List<PlannedShard> bin) {
    return bin.stream().mapToLong(PlannedShard::size).sum();
  }

  @Test
  void everyShardLandsInExactlyOneBin() {
    List<PlannedShard> shards = new ArrayList<>();
    Random r = new Random(1);
    for (int i = 0; i < 1000; i++) {
      shards.add(shard("s" + i, r.nextInt(1 << 20)));
    }
    List<List<PlannedShard>> bins = ShardPacker.pack(shards, 8);
    assertEquals(8, bins.size());
    HashSet<String> seen = new HashSet<>();
    bins.forEach(b -> b.forEach(s -> assertTrue(seen.add(s.path()))));
    assertEquals(1000, seen.size());
  }

  @Test
  void balancesBytesAndPutsHeaviestBinFirst() {
    List<PlannedShard> shards = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      shards.add(shard("big" + i, 128L << 20));
    }
    for (int i = 0; i < 100; i++) {
      shards.add(shard("small" + i, 4096));
    }
    List<List<PlannedShard>> bins = ShardPacker.pack(shards, 8);
    long max = bins.stream().mapToLong(ShardPackerTest::bytes).max().orElseThrow();
    long min = bins.stream().mapToLong(ShardPackerTest::bytes).min().orElseThrow();
    assertTrue(max - min <= 128 * 4096, "imbalance " + (max - min));
    for (int i = 1; i < bins.size(); i++) {
      assertTrue(bytes(bins.get(i - 1)) >= bytes(bins.get(i)));
    }
  }

  @Test
  void manySmallFilesShareTasksAndFewShardsGetOneTaskEach() {
    List<PlannedShard> many = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      many.add(shard("f" + i, 4096));
    }
    List<List<PlannedShard>> bins = ShardPacker.pack(many, 8);
    assertEquals(8, bins.size());
    bins.forEach(b -> assertEquals(2500, b.size()));
    assertEquals(3, ShardPacker.pack(List.of(shard("a", 1), shard("b", 0), shard("c", 5)), 8).size());
  }

  @Test
  void taskCountFollowsTheWorkNotJustTheCores() {
    List<PlannedShard> tiny = List.of(shard("a", 100), shard("b", 200));
    assertEquals(1, ShardHashJob.binCount(tiny, 2, 4, 128L << 20), "a tiny dataset is one task");
    List<PlannedShard> big = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      big.add(shard("s" + i, 128L << 20));
    }
    assertEquals(8, ShardHashJob.binCount(big, 2, 4, 128L << 20), "capped at cores x tasks per core");
    List<PlannedShard> small = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      small.add(shard("f" + i, 4096));
    }
    assertEquals(8, ShardHashJob.binCount(small, 2, 4, 128L << 20), "file opens count as work");
    assertEquals(8, ShardHashJob.binCount(tiny, 2, 4, 1), "the packer, not the count, caps bins at the shard count");
  }
}
