package io.m31r.release.metrics;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * The benchmark's numbers as report.json holds them under {@code metrics}.
 *
 * @param samplesPerTask the smallest sample count of any task: the largest k that may be asked
 * @param passAtK keyed by k as a string, the mean over tasks of each task's estimate
 * @param compileRate samples rustc accepted / all samples
 * @param compile rustc wall time per compiled-or-refused program (timeouts included at their limit)
 * @param run test or main wall time per program that ran
 * @param msPerToken mean generation time per generated token; null without a model
 * @param peakMemoryBytes largest generator peak memory seen; null without a model
 */
public record BenchMetrics(
    @JsonProperty("tasks") int tasks,
    @JsonProperty("samples") int samples,
    @JsonProperty("samples_per_task") int samplesPerTask,
    @JsonProperty("pass_at_k") SortedMap<String, Double> passAtK,
    @JsonProperty("by_category") SortedMap<String, GroupMetrics> byCategory,
    @JsonProperty("by_difficulty") SortedMap<String, GroupMetrics> byDifficulty,
    @JsonProperty("compile_rate") double compileRate,
    @JsonProperty("status_counts") SortedMap<String, Long> statusCounts,
    @JsonProperty("compile_latency") Latency compile,
    @JsonProperty("run_latency") Latency run,
    @JsonProperty("ms_per_token") Double msPerToken,
    @JsonProperty("peak_memory_bytes") Long peakMemoryBytes) {

  /** The values the gates read, by the names gates and messages use ({@code pass@1}, ...). */
  @JsonIgnore
  public Map<String, Double> gatedValues() {
    Map<String, Double> v = new LinkedHashMap<>();
    v.put(GatedMetric.COMPILE_RATE, compileRate);
    passAtK.forEach((k, value) -> v.put(GatedMetric.passAt(Integer.parseInt(k)), value));
    if (msPerToken != null) {
      v.put(GatedMetric.MS_PER_TOKEN, msPerToken);
    }
    if (peakMemoryBytes != null) {
      v.put(GatedMetric.PEAK_MEMORY_BYTES, peakMemoryBytes.doubleValue());
    }
    return v;
  }
}
