package io.m31r.release.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.bench.BenchRun;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.metrics.BenchMetrics;
import io.m31r.release.metrics.GateCheck;
import io.m31r.release.metrics.TaskOutcomes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * metadata.json's {@code metrics_summary}: the suite digest, the quality metrics (repeatable: the
 * benchmark decodes greedily with a recorded seed), the performance measurements (which cannot
 * repeat exactly and are named as such in {@link #NON_REPEATABLE}), the gate outcomes and the
 * comparison with the previous release, per metric and per task (flips).
 */
final class MetricsSummary {
  /** Fields of metadata.json that are measurements of time or memory: two runs never agree on them. */
  static final List<String> NON_REPEATABLE = List.of("metrics_summary.performance");
  static final String PREVIOUS_SUITE = "previous_suite_digest";
  static final String COMPARED_SUITE = "compared_on_suite_digest";
  static final String REBENCHMARKED = "previous_benchmarked_again";
  static final String FLIPS = "flips";
  static final String PASSED_TO_FAILED = "passed_to_failed";
  static final String FAILED_TO_PASSED = "failed_to_passed";

  private MetricsSummary() {}

  static ObjectNode of(BenchmarkStage.Outcome o) {
    BenchRun.Result r = o.candidate();
    BenchMetrics m = r.metrics();
    ObjectNode s = CanonicalJson.mapper().createObjectNode();
    s.put("suite_digest", r.suite().digest());
    s.put("tasks", m.tasks());
    s.put("samples_per_task", m.samplesPerTask());
    ObjectNode quality = s.putObject("quality");
    quality.put("compile_rate", m.compileRate());
    ObjectNode passAt = quality.putObject("pass_at_k");
    m.passAtK().forEach(passAt::put);
    quality.set("by_category", CanonicalJson.mapper().valueToTree(m.byCategory()));
    quality.set("status_counts", CanonicalJson.mapper().valueToTree(m.statusCounts()));
    // Recorded so that the next release can name the tasks that flipped without benchmarking this one again.
    quality.set(PreviousBaseline.TASK_OUTCOMES, CanonicalJson.mapper().valueToTree(r.tasks().asRecorded()));
    // Never truncated: a prompt the model's context cannot hold gets no completion and fails, and is named here.
    List<String> tooLong = promptTooLongTasks(r);
    ObjectNode longPrompts = s.putObject("prompts_over_context");
    longPrompts.put("tasks", tooLong.size());
    tooLong.forEach(longPrompts.putArray("task_ids")::add);
    ObjectNode perf = s.putObject("performance");
    if (m.msPerToken() != null) {
      perf.put("ms_per_token", m.msPerToken());
    }
    if (m.peakMemoryBytes() != null) {
      perf.put("peak_memory_bytes", m.peakMemoryBytes());
    }
    ObjectNode gates = s.putObject("gates");
    for (GateCheck g : r.gates()) {
      gates.put(g.gate() + ":" + g.metric(), g.outcome());
    }
    ObjectNode comparison = s.putObject("comparison");
    comparison.put("previous_version", o.previous().map(p -> p.version().toString()).orElse(null));
    o.previous().ifPresent(p -> {
      comparison.put(PREVIOUS_SUITE, p.publishedSuiteDigest());
      comparison.put(COMPARED_SUITE, p.suiteDigest());
      comparison.put(REBENCHMARKED, p.rebenchmarked());
      compare(comparison, "compile_rate", p.compileRate(), m.compileRate());
      m.passAtK().forEach((k, v) -> compare(comparison, "pass@" + k, p.passAtK().get(k), v));
      TaskOutcomes.Flips flips = r.tasks().since(p.tasks());
      ObjectNode f = comparison.putObject(FLIPS);
      flips.failedToPassed().forEach(f.putArray(FAILED_TO_PASSED)::add);
      flips.passedToFailed().forEach(f.putArray(PASSED_TO_FAILED)::add);
    });
    return s;
  }

  /** Tasks whose prompt is longer than the model's context, from the benchmark's generation summary. */
  static List<String> promptTooLongTasks(BenchRun.Result r) {
    Object ids = r.generation() == null ? null : r.generation().get("prompt_too_long_tasks");
    List<String> out = new ArrayList<>();
    if (ids instanceof List<?> list) {
      list.forEach(id -> out.add(String.valueOf(id)));
    }
    return out;
  }

  private static void compare(ObjectNode out, String metric, Double previous, double current) {
    ObjectNode c = out.putObject(metric);
    c.put("current", current);
    if (previous != null) {
      c.put("previous", previous);
      c.put("change", current - previous);
    }
  }

  private static String flipLine(String what, JsonNode tasks, String previous) {
    List<String> ids = new ArrayList<>();
    tasks.forEach(t -> ids.add(t.asText()));
    return what + " against " + previous + ": " + (ids.isEmpty() ? "none" : ids.size() + " task(s): " + String.join(", ", ids));
  }

  /** One changelog line per quality metric against the previous release (deterministic). */
  static List<String> changelogLines(ObjectNode summary) {
    List<String> lines = new ArrayList<>();
    JsonNode comparison = summary.path("comparison");
    String previous = comparison.path("previous_version").asText(null);
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) comparison::fields) {
      if (!e.getValue().isObject() || e.getKey().equals(FLIPS)) {
        continue;
      }
      JsonNode v = e.getValue();
      lines.add(v.has("previous")
          ? String.format(Locale.ROOT, "%s: %.4f -> %.4f (%+.4f against %s)", e.getKey(), v.get("previous").asDouble(),
              v.get("current").asDouble(), v.get("change").asDouble(), previous)
          : String.format(Locale.ROOT, "%s: %.4f (not measured in %s)", e.getKey(), v.get("current").asDouble(), previous));
    }
    if (comparison.path(REBENCHMARKED).asBoolean(false)) {
      lines.add("compared on suite " + comparison.path(COMPARED_SUITE).asText() + ": " + previous + " (published with suite "
          + comparison.path(PREVIOUS_SUITE).asText() + ") was benchmarked again on it");
    }
    JsonNode flips = comparison.path(FLIPS);
    if (flips.isObject()) {
      lines.add(flipLine("passed -> failed", flips.path(PASSED_TO_FAILED), previous));
      lines.add(flipLine("failed -> passed", flips.path(FAILED_TO_PASSED), previous));
    }
    if (previous == null) {
      JsonNode q = summary.path("quality");
      lines.add(String.format(Locale.ROOT, "compile_rate: %.4f (first release)", q.path("compile_rate").asDouble()));
      q.path("pass_at_k").fields().forEachRemaining(
          e -> lines.add(String.format(Locale.ROOT, "pass@%s: %.4f (first release)", e.getKey(), e.getValue().asDouble())));
    }
    return lines;
  }
}
