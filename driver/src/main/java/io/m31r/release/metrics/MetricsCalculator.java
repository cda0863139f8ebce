package io.m31r.release.metrics;

import io.m31r.release.sandbox.SampleStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns judged samples into {@link BenchMetrics}. A sample counts as compiled when rustc accepted
 * it and as correct only when {@code passed}; a {@code sandbox_error} counts as neither (and the
 * bench command refuses to publish a run that has any).
 */
public final class MetricsCalculator {
  private MetricsCalculator() {}

  public static BenchMetrics compute(List<EvaluatedSample> samples, List<Integer> ks) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no samples to measure");
    }
    Map<String, List<EvaluatedSample>> byTask = group(samples, EvaluatedSample::taskId);
    int minN = byTask.values().stream().mapToInt(List::size).min().orElse(0);
    for (int k : ks) {
      if (k > minN) {
        String task = byTask.entrySet().stream().filter(e -> e.getValue().size() < k).findFirst().orElseThrow().getKey();
        throw new KExceedsSamplesException(
            "pass@" + k + " needs at least " + k + " samples per task; task " + task + " has " + byTask.get(task).size());
      }
    }
    SortedMap<String, Long> counts = new TreeMap<>();
    for (SampleStatus s : SampleStatus.values()) {
      counts.put(s.wireName(), 0L);
    }
    List<Long> compileMs = new ArrayList<>();
    List<Long> runMs = new ArrayList<>();
    double tokenMsSum = 0;
    int tokenMsCount = 0;
    Long peak = null;
    Set<String> seen = new HashSet<>();
    for (EvaluatedSample s : samples) {
      if (!seen.add(s.taskId() + "\u0000" + s.sampleIndex())) {
        throw new IllegalArgumentException("sample " + s.sampleIndex() + " of task " + s.taskId() + " appears twice");
      }
      counts.merge(s.status().wireName(), 1L, Long::sum);
      if (s.compileMillis() >= 0) {
        compileMs.add(s.compileMillis());
      }
      if (s.runMillis() >= 0) {
        runMs.add(s.runMillis());
      }
      if (s.msPerToken() != null) {
        tokenMsSum += s.msPerToken();
        tokenMsCount++;
      }
      if (s.peakMemoryBytes() != null) {
        peak = peak == null ? s.peakMemoryBytes() : Math.max(peak, s.peakMemoryBytes());
      }
    }
    return new BenchMetrics(
        byTask.size(),
        samples.size(),
        minN,
        passAtK(byTask, ks),
        slices(samples, EvaluatedSample::category, ks),
        slices(samples, s -> s.difficulty().wireName(), ks),
        compileRate(samples),
        counts,
        Latency.of(compileMs.stream().mapToLong(Long::longValue).toArray()),
        Latency.of(runMs.stream().mapToLong(Long::longValue).toArray()),
        tokenMsCount == 0 ? null : tokenMsSum / tokenMsCount,
        peak);
  }

  private static SortedMap<String, GroupMetrics> slices(
      List<EvaluatedSample> samples, Function<EvaluatedSample, String> key, List<Integer> ks) {
    SortedMap<String, GroupMetrics> out = new TreeMap<>();
    group(samples, key).forEach((name, members) -> {
      Map<String, List<EvaluatedSample>> byTask = group(members, EvaluatedSample::taskId);
      out.put(name, new GroupMetrics(byTask.size(), members.size(), passAtK(byTask, ks), compileRate(members)));
    });
    return out;
  }

  private static SortedMap<String, Double> passAtK(Map<String, List<EvaluatedSample>> byTask, List<Integer> ks) {
    SortedMap<String, Double> out = new TreeMap<>((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
    for (int k : ks) {
      double sum = 0;
      for (List<EvaluatedSample> task : byTask.values()) {
        int c = (int) task.stream().filter(s -> s.status() == SampleStatus.PASSED).count();
        sum += PassAtK.estimate(task.size(), c, k);
      }
      out.put(Integer.toString(k), sum / byTask.size());
    }
    return out;
  }

  private static double compileRate(List<EvaluatedSample> samples) {
    return (double) samples.stream().filter(EvaluatedSample::compiled).count() / samples.size();
  }

  private static <T> Map<String, List<T>> group(List<T> items, Function<T, String> key) {
    Map<String, List<T>> out = new LinkedHashMap<>();
    for (T item : items) {
      out.computeIfAbsent(key.apply(item), x -> new ArrayList<>()).add(item);
    }
    return out;
  }
}
