package io.m31r.release.metrics;

import java.io.Serializable;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Absolute targets a release must meet. {@link #UPSTREAM} holds the ones upstream documents:
 * compile rate >= 70%, pass@1 >= 40%, pass@5 >= 60%, pass@10 >= 70%, <= 50 ms per generated
 * token, <= 8 GB memory.
 */
public record GateTargets(
    double minCompileRate, SortedMap<Integer, Double> minPassAtK, double maxMsPerToken, long maxMemoryBytes)
    implements Serializable {

  public static final GateTargets UPSTREAM =
      new GateTargets(0.70, new TreeMap<>(Map.of(1, 0.40, 5, 0.60, 10, 0.70)), 50.0, 8_000_000_000L);

  public GateTargets {
    minPassAtK = new TreeMap<>(minPassAtK);
    if (minCompileRate < 0 || minCompileRate > 1) {
      throw new IllegalArgumentException("min compile rate must be in [0, 1]");
    }
    for (var e : minPassAtK.entrySet()) {
      if (e.getKey() < 1 || e.getValue() < 0 || e.getValue() > 1) {
        throw new IllegalArgumentException("pass@" + e.getKey() + " target must be in [0, 1] with k >= 1");
      }
    }
    if (maxMsPerToken <= 0 || maxMemoryBytes <= 0) {
      throw new IllegalArgumentException("latency and memory targets must be positive");
    }
  }
}
