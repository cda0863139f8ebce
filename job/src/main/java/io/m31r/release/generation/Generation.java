package io.m31r.release.generation;

/**
 * One generated completion and what producing it cost; the benchmark turns these into the
 * ms-per-token and memory metrics that the latency and memory gates read.
 *
 * @param peakMemoryBytes the generating process's peak resident memory during the call
 */
public record Generation(String text, int generatedTokens, long elapsedNanos, long peakMemoryBytes) {
  public Generation {
    if (text == null || generatedTokens < 0 || elapsedNanos < 0 || peakMemoryBytes < 0) {
      throw new IllegalArgumentException("a generation has text and non-negative costs");
    }
  }
}
