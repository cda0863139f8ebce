package io.m31r.release.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.bench.BenchRun;
import io.m31r.release.hashing.Hex;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.metrics.BadBaselineException;
import io.m31r.release.metrics.BaselineReport;
import io.m31r.release.metrics.GatedMetric;
import io.m31r.release.metrics.TaskOutcomes;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.version.Semver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The previous release as the candidate is compared with: by the regression gates, the report, the
 * changelog's metric lines and its per-task flips. Its published numbers serve when they were
 * measured on the candidate's suite and record each task's outcome
 * ({@code metrics_summary.quality.task_outcomes}); otherwise (a suite that gained or changed tasks,
 * or a release published before task outcomes were recorded) they come from its published package
 * benchmarked again on the candidate's suite ({@link BenchmarkStage}), so the comparison is always
 * like for like.
 *
 * @param publishedSuiteDigest the suite the previous release was published with
 * @param suiteDigest the suite these numbers were measured on: the candidate's
 * @param byCategory quality per category, as {@code metrics_summary.quality.by_category} holds it
 * @param msPerToken shown beside the candidate's, never gated against it; null when not measured
 */
record PreviousBaseline(
    Semver version, String publishedSuiteDigest, String suiteDigest, boolean rebenchmarked, double compileRate,
    SortedMap<String, Double> passAtK, JsonNode byCategory, TaskOutcomes tasks, Double msPerToken) {
  static final String TASK_OUTCOMES = "task_outcomes";

  /** The published suite digest of {@code m}, checked. */
  static String publishedSuiteDigest(ReleaseMetadata m) {
    String digest = m.metricsSummary().path("suite_digest").asText(null);
    if (digest == null || !Hex.isSha256(digest)) {
      throw new BadBaselineException("baseline release " + m.version() + ": metrics_summary.suite_digest is missing or not a SHA-256");
    }
    return digest;
  }

  /** The published numbers of {@code m}, when they can serve a run on {@code suiteDigest}. */
  static Optional<PreviousBaseline> published(ReleaseMetadata m, String suiteDigest) {
    String published = publishedSuiteDigest(m);
    JsonNode quality = m.metricsSummary().path("quality");
    if (!published.equals(suiteDigest) || quality.path(TASK_OUTCOMES).isMissingNode()) {
      return Optional.empty();
    }
    TaskOutcomes tasks = TaskOutcomes.read(quality.get(TASK_OUTCOMES),
        "baseline release " + m.version() + ": metrics_summary.quality." + TASK_OUTCOMES);
    SortedMap<String, Double> passAt = new TreeMap<>();
    quality.path("pass_at_k").fields().forEachRemaining(e -> passAt.put(e.getKey(), e.getValue().asDouble()));
    return Optional.of(new PreviousBaseline(m.version(), published, suiteDigest, false, quality.path("compile_rate").asDouble(),
        passAt, quality.path("by_category"), tasks, number(m.metricsSummary().path("performance").path("ms_per_token"))));
  }

  /** The numbers of {@code m}'s package benchmarked again on the candidate's suite. */
  static PreviousBaseline rebenchmarked(ReleaseMetadata m, BenchRun.Result r) {
    return new PreviousBaseline(m.version(), publishedSuiteDigest(m), r.suite().digest(), true, r.metrics().compileRate(),
        new TreeMap<>(r.metrics().passAtK()), CanonicalJson.mapper().valueToTree(r.metrics().byCategory()), r.tasks(),
        r.metrics().msPerToken());
  }

  private static Double number(JsonNode n) {
    return n.isNumber() ? n.asDouble() : null;
  }

  /** What the regression gates compare with: compile rate and pass@k (latency and memory are not compared, the machines differ). */
  BaselineReport gates() {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put(GatedMetric.COMPILE_RATE, compileRate);
    passAtK.forEach((k, v) -> values.put("pass@" + k, v));
    String source = "release " + version + (rebenchmarked ? " (benchmarked again on this suite)" : "");
    return new BaselineReport(source, suiteDigest, values);
  }
}
