package io.m31r.release.metrics;

import java.util.Arrays;

/**
 * Nearest-rank percentiles: for N sorted values the p-th percentile is the value at rank
 * {@code ceil(p/100 * N)} (1-based, at least 1). Always one of the measured values, never an
 * interpolation, so a p95 of 20 samples is the 19th smallest.
 */
public final class Percentiles {
  private Percentiles() {}

  /** Null for no values. */
  public static Long nearestRank(long[] values, double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
    }
    if (values.length == 0) {
      return null;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(1, rank) - 1];
  }
}
