package io.m31r.release.bench;

import io.m31r.release.metrics.BaselineReport;
import io.m31r.release.metrics.GateTargets;
import io.m31r.release.reuse.ReuseArea;
import io.m31r.release.sandbox.SandboxLimits;
import io.m31r.release.tasks.bench.GenerationSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One benchmark run as the command line (or the release's benchmark stage) asked for it.
 *
 * @param source where the completions come from
 * @param ks the k of pass@k, or null for those of 1, 5, 10 that n allows
 * @param baseline the previous release's metrics, already read, or null
 * @param rustc the user's rustc setting, or null to search PATH and $HOME/.cargo/bin
 * @param workDir where sample directories are made, or null for java.io.tmpdir
 * @param reuse where a model's generated samples are kept for a rerun and looked for, or null
 */
public record BenchRequest(
    Path suite,
    SampleSource source,
    List<Integer> ks,
    Path outDir,
    BaselineReport baseline,
    SandboxLimits limits,
    GateTargets targets,
    String rustc,
    String workDir,
    ReuseArea reuse) {
  public BenchRequest {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(outDir, "outDir");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(targets, "targets");
  }

  /** A release's benchmark: default k, default sandbox limits, rustc found on PATH, temporary work folders. */
  public static BenchRequest forRelease(
      Path suite, GenerationSettings generation, Path outDir, BaselineReport baseline, GateTargets targets) {
    return new BenchRequest(
        suite, SampleSource.model(generation), null, outDir, baseline, SandboxLimits.DEFAULTS, targets, null, null, null);
  }

  /** This request with generated samples kept in, and taken from, {@code area}. */
  public BenchRequest reusing(ReuseArea area) {
    return new BenchRequest(suite, source, ks, outDir, baseline, limits, targets, rustc, workDir, area);
  }
}
