package io.m31r.release.bench;

import io.m31r.release.metrics.Percentiles;
import io.m31r.release.tasks.bench.GeneratedSample;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latency figures of a model benchmark's generation, from one measurement per task batch:
 * time to first token and ms per generated token (nearest-rank p50, p95, in microseconds
 * precision), and tokens per second over the whole generation stage's wall time.
 */
final class GenerationSummary {
  private GenerationSummary() {}

  static Map<String, Object> of(List<GeneratedSample> samples, double stageSeconds) {
    Map<String, GeneratedSample> firstOfBatch = new TreeMap<>();
    java.util.Set<String> tooLong = new java.util.TreeSet<>();
    long tokens = 0;
    for (GeneratedSample s : samples) {
      if (s.promptTooLong()) {
        tooLong.add(s.taskId());
        continue;
      }
      firstOfBatch.putIfAbsent(s.taskId(), s);
      tokens += s.generatedTokens();
    }
    long[] ttftMicros = firstOfBatch.values().stream().mapToLong(s -> Math.round(s.ttftMs() * 1000)).toArray();
    long[] perTokenMicros = firstOfBatch.values().stream()
        .filter(s -> s.msPerToken() != null).mapToLong(s -> Math.round(s.msPerToken() * 1000)).toArray();
    Map<String, Object> m = new TreeMap<>();
    m.put("batches", firstOfBatch.size());
    m.put("prompt_too_long_tasks", List.copyOf(tooLong));
    m.put("generated_tokens", tokens);
    m.put("stage_seconds", stageSeconds);
    m.put("tokens_per_second", stageSeconds > 0 ? tokens / stageSeconds : null);
    m.put("ttft_ms", percentiles(ttftMicros));
    m.put("ms_per_token", percentiles(perTokenMicros));
    return m;
  }

  private static Map<String, Object> percentiles(long[] micros) {
    Map<String, Object> m = new TreeMap<>();
    Long p50 = Percentiles.nearestRank(micros, 50);
    Long p95 = Percentiles.nearestRank(micros, 95);
    m.put("p50", p50 == null ? null : p50 / 1000.0);
    m.put("p95", p95 == null ? null : p95 / 1000.0);
    return m;
  }
}
