package io.m31r.release.pipeline;

import io.m31r.release.failure.GateFailedException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.model.LoadedModel;
import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.model.generate.GenerationRequest;
import io.m31r.release.model.generate.GenerationResult;
import io.m31r.release.model.generate.Generator;
import io.m31r.release.model.generate.SamplingParams;
import io.m31r.release.model.runtime.RuntimeOptions;
import io.m31r.release.packaging.ReleaseVerifier;
import io.m31r.release.packaging.StagedRelease;
import io.m31r.release.sandbox.Isolation;
import io.m31r.release.sandbox.RustSandbox;
import io.m31r.release.sandbox.RustToolchain;
import io.m31r.release.sandbox.SampleStatus;
import io.m31r.release.sandbox.SandboxLimits;
import io.m31r.release.sandbox.Verdict;
import io.m31r.release.suite.AssembledProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * Section 19, on the staged package itself: the package verifies (files, checksums, metadata),
 * the model loads through the runtime's verify-on-load, generates from the smoke prompt, and the
 * prompt plus its completion compiles in the benchmark sandbox. Any failure blocks the release.
 */
final class ValidationStage {
  /** One trivial test, so the sandbox's test run succeeds exactly when the program compiles. */
  static final String SMOKE_TEST = "\n#[cfg(test)]\nmod m31r_smoke {\n    #[test]\n    fn compiles() {}\n}\n";

  record Smoke(String completion, Verdict verdict) {}

  Smoke run(StagedRelease staged, String smokePrompt, int maxNewTokens, Path workDir) {
    new ReleaseVerifier().verify(
        new org.apache.hadoop.fs.Path("file:" + staged.dir().toAbsolutePath()), new Configuration()).requireValid();
    String completion;
    try (LoadedModel model = LoadedModel.load(ModelBundle.open(staged.dir(), false), RuntimeOptions.CPU_FP32)) {
      GenerationResult r =
          Generator.generate(model, new GenerationRequest(smokePrompt, maxNewTokens, SamplingParams.GREEDY, 0, 1,
              List.of("\nfn ", "\n#[cfg(test)]", "\nmod tests")));
      completion = r.completions().get(0).text();
    }
    String program = smokePrompt + cut(completion) + "\n" + SMOKE_TEST;
    Path sandboxRoot = workDir.resolve("validation");
    try {
      Files.createDirectories(sandboxRoot);
    } catch (IOException e) {
      throw new InfrastructureException("cannot create " + sandboxRoot + ": " + e.getMessage(), e);
    }
    RustSandbox sandbox = new RustSandbox(RustToolchain.locate(null), SandboxLimits.DEFAULTS, Isolation.probe(), sandboxRoot);
    Verdict v = sandbox.evaluate(AssembledProgram.of(program, AssembledProgram.RunMode.TEST_HARNESS));
    if (v.status() == SampleStatus.SANDBOX_ERROR) {
      throw new InfrastructureException("validation: the sandbox failed: " + v.detail());
    }
    if (!v.compiled() || v.status() != SampleStatus.PASSED) {
      throw new GateFailedException(
          "validation: the staged model's completion of the smoke prompt does not compile (" + v.status() + ": "
              + v.detail() + "); completion was " + oneLine(completion));
    }
    return new Smoke(completion, v);
  }

  /** Generation stopped at a stop string, which the completion still ends with. */
  private static String cut(String completion) {
    for (String stop : List.of("\nfn ", "\n#[cfg(test)]", "\nmod tests")) {
      int at = completion.indexOf(stop);
      if (at >= 0) {
        completion = completion.substring(0, at);
      }
    }
    return completion;
  }

  private static String oneLine(String s) {
    String t = s.replace("\n", "\\n");
    return "'" + (t.length() > 200 ? t.substring(0, 200) + "..." : t) + "'";
  }
}
