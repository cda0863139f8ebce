package io.m31r.release.pipeline;

import io.m31r.release.bench.BenchRequest;
import io.m31r.release.bench.BenchRun;
import io.m31r.release.bench.GenerationSettings;
import io.m31r.release.bench.GpuScheduling;
import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.hashing.Hex;
import io.m31r.release.metrics.BadBaselineException;
import io.m31r.release.metrics.BaselineReport;
import io.m31r.release.metrics.GateTargets;
import io.m31r.release.metrics.GatedMetric;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.spark.SparkTaskProgress;
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

  /**
   * @param bundle the candidate on the driver's disk
   * @param stagingArea where a candidate too large to ship with the job is staged for executors
   */
  BenchRun.Result run(
      ReleaseSettings s, ReleaseInputs in, Path bundle, String stagingArea, Path workDir, Optional<ReleaseMetadata> previous) {
    ReleaseSettings.Gates g = s.gates();
    GateTargets targets =
        new GateTargets(g.minCompileRate(), s.passAtKTargets(), g.maxMsPerToken(), g.maxMemoryBytes());
    ReleaseSettings.Bench b = s.bench();
    GenerationSettings generation =
        new GenerationSettings(bundle.toString(), stagingArea, false, b.samplesPerTask(), b.temperature(), 0, 1.0, b.seed(),
            b.maxNewTokens(), b.device(), spark.sparkContext().conf().get(GpuScheduling.DISCOVERY_SCRIPT_KEY, "./gpu-discovery.sh"), null);
    BaselineReport baseline = previous.map(BenchmarkStage::baseline).orElse(null);
    BenchRequest req = BenchRequest.forRelease(in.suite(), generation, workDir.resolve("bench"), baseline, targets);
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

  /**
   * The previous release's quality metrics as the regression gates read them, taken from its
   * metadata.json as is: compile rate and pass@k (its latency and memory are not compared, the
   * machines differ).
   */
  static BaselineReport baseline(ReleaseMetadata previous) {
    var summary = previous.metricsSummary();
    String source = "release " + previous.version();
    String digest = summary.path("suite_digest").asText(null);
    if (digest == null || !Hex.isSha256(digest)) {
      throw new BadBaselineException("baseline " + source + ": metrics_summary.suite_digest is missing or not a SHA-256");
    }
    var quality = summary.path("quality");
    Map<String, Double> values = new LinkedHashMap<>();
    values.put(GatedMetric.COMPILE_RATE, quality.path("compile_rate").asDouble());
    Map<String, Double> passAt = new TreeMap<>();
    quality.path("pass_at_k").fields().forEachRemaining(e -> passAt.put(e.getKey(), e.getValue().asDouble()));
    passAt.forEach((k, v) -> values.put("pass@" + k, v));
    return new BaselineReport(source, digest, values);
  }
}
