package io.m31r.release.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.bench.BenchRun;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.metrics.BenchMetrics;
import io.m31r.release.metrics.GateCheck;
import io.m31r.release.packaging.ReleaseMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * metadata.json's {@code metrics_summary}: the suite digest, the quality metrics (repeatable: the
 * benchmark decodes greedily with a recorded seed), the performance measurements (which cannot
 * repeat exactly and are named as such in {@link #NON_REPEATABLE}), the gate outcomes and the
 * comparison with the previous release.
 */
final class MetricsSummary {
  /** Fields of metadata.json that are measurements of time or memory: two runs never agree on them. */
  static final List<String> NON_REPEATABLE = List.of("metrics_summary.performance");

  private MetricsSummary() {}

  static ObjectNode of(BenchRun.Result r, Optional<ReleaseMetadata> previous) {
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
    comparison.put("previous_version", previous.map(ReleaseMetadata::version).orElse(null));
    previous.ifPresent(p -> {
      JsonNode q = p.metricsSummary().path("quality");
      compare(comparison, "compile_rate", q.path("compile_rate"), m.compileRate());
      m.passAtK().forEach((k, v) -> compare(comparison, "pass@" + k, q.path("pass_at_k").path(k), v));
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

  private static void compare(ObjectNode out, String metric, JsonNode previous, double current) {
    ObjectNode c = out.putObject(metric);
    c.put("current", current);
    if (previous.isNumber()) {
      c.put("previous", previous.asDouble());
      c.put("change", current - previous.asDouble());
    }
  }

  /** One changelog line per quality metric against the previous release (deterministic). */
  static List<String> changelogLines(ObjectNode summary) {
    List<String> lines = new ArrayList<>();
    JsonNode comparison = summary.path("comparison");
    String previous = comparison.path("previous_version").asText(null);
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) comparison::fields) {
      if (!e.getValue().isObject()) {
        continue;
      }
      JsonNode v = e.getValue();
      lines.add(v.has("previous")
          ? String.format(Locale.ROOT, "%s: %.4f -> %.4f (%+.4f against %s)", e.getKey(), v.get("previous").asDouble(),
              v.get("current").asDouble(), v.get("change").asDouble(), previous)
          : String.format(Locale.ROOT, "%s: %.4f (not measured in %s)", e.getKey(), v.get("current").asDouble(), previous));
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
