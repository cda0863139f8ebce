package io.m31r.release.pipeline;

import io.m31r.release.bench.BenchRequest;
import io.m31r.release.bench.BenchRun;
import io.m31r.release.bench.GpuScheduling;
import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.metrics.GateTargets;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.reuse.ReuseArea;
import io.m31r.release.spark.SparkTaskProgress;
import io.m31r.release.suite.SuiteLoader;
import io.m31r.release.tasks.bench.GenerationSettings;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Section 12: the full suite on the executors with the candidate bundle, gated against the
 * configured targets and against the previous release. The comparison with the previous release
 * covers the quality metrics (compile rate, pass@k): a relative drop over 5% blocks. Latency and
 * memory are gated against their absolute targets only, because on shared machines they move by
 * more than 5% between two runs of the same model (see docs/operations.md).
 *
 * <p>The previous release is compared on the candidate's suite only ({@link PreviousBaseline}):
 * when it was published with another suite (one that gained tasks), or before per-task outcomes
 * were recorded, its published package is benchmarked here first, on this suite, with the
 * candidate's generation settings and seed.
 */
final class BenchmarkStage {
  /** The candidate's run and what it was compared with. */
  record Outcome(BenchRun.Result candidate, Optional<PreviousBaseline> previous) {}

  private final SparkSession spark;
  /** Null with {@code --quiet}. */
  private final java.io.PrintStream progress;

  BenchmarkStage(SparkSession spark, java.io.PrintStream progress) {
    this.spark = spark;
    this.progress = progress;
  }

  /**
   * @param bundle the frozen candidate on the driver's disk
   * @param root the release root: the previous release's package is read from it, and a bundle too
   *     large to ship with the job is staged for executors in its staging area
   */
  Outcome run(
      ReleaseSettings s, ReleaseInputs in, FrozenBundle bundle, ReleaseRoot root, Path workDir, Optional<ReleaseMetadata> previous,
      Optional<ReuseArea> reuse) {
    ReleaseSettings.Gates g = s.gates();
    GateTargets targets =
        new GateTargets(g.minCompileRate(), s.passAtKTargets(), g.maxMsPerToken(), g.maxMemoryBytes());
    ReleaseSettings.Bench b = s.bench();
    GenerationSettings generation =
        new GenerationSettings(bundle.dir().toString(), root.stagingArea().toString(), false, b.samplesPerTask(), b.temperature(), 0, 1.0,
            b.seed(), b.maxNewTokens(), b.device(),
            spark.sparkContext().conf().get(GpuScheduling.DISCOVERY_SCRIPT_KEY, "./gpu-discovery.sh"), null);
    Optional<PreviousBaseline> baseline = previous.map(p -> baseline(p, in, root, generation, targets, workDir, reuse));
    BenchRequest req = BenchRequest.forRelease(
        in.suite(), generation, workDir.resolve("bench"), baseline.map(PreviousBaseline::gates).orElse(null), targets);
    return new Outcome(measure("benchmark", reuse.map(req::reusing).orElse(req)), baseline);
  }

  /** The previous release's numbers on this suite: as published, or from its package benchmarked again. */
  private PreviousBaseline baseline(
      ReleaseMetadata previous, ReleaseInputs in, ReleaseRoot root, GenerationSettings candidate, GateTargets targets, Path workDir,
      Optional<ReuseArea> reuse) {
    String suiteDigest = new SuiteLoader().load(in.suite()).digest();
    Optional<PreviousBaseline> published = PreviousBaseline.published(previous, suiteDigest);
    if (published.isPresent()) {
      return published.get();
    }
    String publishedSuite = PreviousBaseline.publishedSuiteDigest(previous);
    if (progress != null) {
      progress.println("benchmark: release " + previous.version() + (publishedSuite.equals(suiteDigest)
          ? " records no per-task outcomes (published before they were recorded)"
          : " was published with suite " + publishedSuite + ", this export's suite is " + suiteDigest)
          + ": benchmarking its package again on this suite");
    }
    Path dir = PreviousPackage.fetch(root, previous, workDir.resolve("previous").resolve(previous.version().toString()));
    BenchRequest req = BenchRequest.forRelease(
        in.suite(), candidate.forModel(dir.toString()), workDir.resolve("bench-previous"), null, targets);
    return PreviousBaseline.rebenchmarked(previous, measure("benchmark of " + previous.version(), reuse.map(req::reusing).orElse(req)));
  }

  private BenchRun.Result measure(String label, BenchRequest req) {
    BenchRun.Result r;
    try (SparkTaskProgress ignored = SparkTaskProgress.start(spark.sparkContext(), label, progress, 2000)) {
      r = new BenchRun(spark).run(req);
    }
    if (r.reuse() != null && progress != null) {
      progress.println(label + ": " + r.reuse());
    }
    if (r.sandboxErrors() > 0) {
      throw new InfrastructureException(
          label + ": " + r.sandboxErrors() + " sample(s) ended in sandbox_error; the run measures nothing (see " + r.samples() + ")");
    }
    return r;
  }
}
