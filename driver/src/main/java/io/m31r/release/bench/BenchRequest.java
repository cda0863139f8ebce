package io.m31r.release.bench;

import io.m31r.release.metrics.GateTargets;
import io.m31r.release.sandbox.SandboxLimits;
import java.nio.file.Path;
import java.util.List;

/**
 * One benchmark run as the command line asked for it.
 *
 * @param samplesFile completions to judge, or null for the oracle (each task's solution.rs) or a model
 * @param generation how a model generates the completions, or null when they come from elsewhere
 * @param samplesPerTask the n the samples file must have per task, or null to take it from the file
 * @param ks the k of pass@k, or null for those of 1, 5, 10 that n allows
 * @param baseline the previous release's report.json, or null
 * @param rustc the user's rustc setting, or null to search PATH and $HOME/.cargo/bin
 * @param workDir where sample directories are made, or null for java.io.tmpdir
 */
public record BenchRequest(
    Path suite,
    Path samplesFile,
    Integer samplesPerTask,
    List<Integer> ks,
    Path outDir,
    Path baseline,
    SandboxLimits limits,
    GateTargets targets,
    String rustc,
    String workDir,
    GenerationSettings generation) {}
