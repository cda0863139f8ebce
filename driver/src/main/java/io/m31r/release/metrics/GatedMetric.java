package io.m31r.release.metrics;

/** Names of the gated metrics and which way is better. */
public final class GatedMetric {
  public static final String COMPILE_RATE = "compile_rate";
  public static final String MS_PER_TOKEN = "ms_per_token";
  public static final String PEAK_MEMORY_BYTES = "peak_memory_bytes";

  private GatedMetric() {}

  public static String passAt(int k) {
    return "pass@" + k;
  }

  /** Latency and memory: a rise is the regression. Everything else: a drop. */
  public static boolean lowerIsBetter(String metric) {
    return metric.equals(MS_PER_TOKEN) || metric.equals(PEAK_MEMORY_BYTES);
  }
}
