package io.m31r.release.model.tokenizer;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Counts of adjacent token pairs, kept ordered so the next merge is found in log time: highest
 * count first, ties broken by the pair's strings so that training never depends on hash order.
 */
final class PairQueue {
  private final List<String> tokens;
  private final Map<Long, Long> counts = new HashMap<>();
  private final TreeSet<Long> ordered;

  PairQueue(List<String> tokens) {
    this.tokens = tokens;
    Comparator<Long> byCount = Comparator.comparingLong(p -> -counts.get(p));
    this.ordered =
        new TreeSet<>(
            byCount
                .thenComparing(p -> tokens.get(left(p)))
                .thenComparing(p -> tokens.get(right(p))));
  }

  static long pair(int left, int right) {
    return ((long) left << 32) | (right & 0xffffffffL);
  }

  static int left(long pair) {
    return (int) (pair >>> 32);
  }

  static int right(long pair) {
    return (int) pair;
  }

  /** Adjusts a pair's count; the pair leaves the queue at zero. */
  void add(long pair, long delta) {
    long old = counts.getOrDefault(pair, 0L);
    if (old > 0) {
      // The comparator reads the live count, so the entry must go before its count changes.
      ordered.remove(pair);
    }
    long now = old + delta;
    if (now > 0) {
      counts.put(pair, now);
      ordered.add(pair);
    } else {
      counts.remove(pair);
    }
  }

  /** The most frequent pair, or -1 when no pair occurs at least {@code minCount} times. */
  long best(long minCount) {
    if (ordered.isEmpty()) {
      return -1;
    }
    long first = ordered.first();
    return counts.get(first) >= minCount ? first : -1;
  }
}
