package io.m31r.release.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Nearest-rank p50 and p95 in milliseconds (see {@link Percentiles}); null when nothing was timed. */
public record Latency(@JsonProperty("p50_ms") Long p50, @JsonProperty("p95_ms") Long p95) {
  static Latency of(long[] millis) {
    return new Latency(Percentiles.nearestRank(millis, 50), Percentiles.nearestRank(millis, 95));
  }
}
