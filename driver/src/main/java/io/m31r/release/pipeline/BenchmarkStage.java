package io.m31r.release.pipeline;

import io.m31r.release.bench.BenchRequest;
import io.m31r.release.bench.BenchRun;
import io.m31r.release.bench.GenerationSettings;
import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.metrics.BaselineReport;
import io.m31r.release.metrics.GateTargets;
import io.m31r.release.metrics.GatedMetric;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.sandbox.SandboxLimits;
import io.m31r.release.spark.SparkTaskProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;

/**
 * Section 12: the full suite on the executors with the candidate bundle, gated against the
 * configured targets and against the previous release. The comparison with the previous release
 * covers the quality metrics (compile rate, pass@k): a relative drop over 5% blocks. Latency and
 * memory are gated against their absolute targets only, because on shared machines they move by
 * more than 5% between two runs of the same model (see docs/operations.md).
 */
final class BenchmarkStage {
  private final SparkSession spark;
  private final java.io.PrintStream progress;

  BenchmarkStage(SparkSession spark, java.io.PrintStream progress) {
    this.spark = spark;
    this.progress = progress;
  }

  BenchRun.Result run(ReleaseSettings s, ReleaseInputs in, Path bundle, Path workDir, Optional<ReleaseMetadata> previous) {
    ReleaseSettings.Gates g = s.gates();
    GateTargets targets =
        new GateTargets(g.minCompileRate(), s.passAtKTargets(), g.maxMsPerToken(), g.maxMemoryBytes());
    ReleaseSettings.Bench b = s.bench();
    GenerationSettings generation =
        new GenerationSettings(bundle.toString(), false, b.samplesPerTask(), b.temperature(), 0, 1.0, b.seed(),
            b.maxNewTokens(), "cpu", null);
    Path baseline = previous.map(p -> baselineFile(p, workDir)).orElse(null);
    BenchRequest req =
        new BenchRequest(in.suite(), null, null, null, workDir.resolve("bench"), baseline, SandboxLimits.DEFAULTS, targets,
            null, null, generation);
    BenchRun.Result r;
    try (SparkTaskProgress ignored = SparkTaskProgress.start(spark.sparkContext(), "benchmark", progress, 2000)) {
      r = new BenchRun(spark).run(req);
    }
    if (r.sandboxErrors() > 0) {
      throw new InfrastructureException(
          "benchmark: " + r.sandboxErrors() + " sample(s) ended in sandbox_error; the run measures nothing (see " + r.samples() + ")");
    }
    return r;
  }

  /** The previous release's quality metrics in the report shape the gates read. */
  private static Path baselineFile(ReleaseMetadata previous, Path workDir) {
    var summary = previous.metricsSummary();
    Map<String, Object> metrics = new LinkedHashMap<>();
    var quality = summary.path("quality");
    metrics.put(GatedMetric.COMPILE_RATE, quality.path("compile_rate").asDouble());
    Map<String, Double> passAt = new TreeMap<>();
    quality.path("pass_at_k").fields().forEachRemaining(e -> passAt.put(e.getKey(), e.getValue().asDouble()));
    metrics.put("pass_at_k", passAt);
    Map<String, Object> report = Map.of(
        "suite", Map.of("digest", summary.path("suite_digest").asText()),
        "metrics", metrics,
        "source", Map.of("release", previous.version()));
    Path file = workDir.resolve("previous-release-" + previous.version() + ".json");
    try {
      Files.createDirectories(workDir);
      Files.write(file, CanonicalJson.bytes(report));
    } catch (IOException e) {
      throw new InfrastructureException("cannot write " + file + ": " + e.getMessage(), e);
    }
    BaselineReport.read(file);
    return file;
  }
}
