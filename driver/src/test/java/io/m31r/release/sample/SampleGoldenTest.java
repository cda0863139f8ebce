package io.m31r.release.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.m31r.release.suite.BenchSuite;
import io.m31r.release.suite.BenchTask;
import io.m31r.release.suite.SuiteLoader;
import ai.djl.pytorch.jni.JniUtils;
import io.m31r.release.model.LoadedModel;
import io.m31r.release.model.bundle.FileDigests;
import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.model.generate.GenerationRequest;
import io.m31r.release.model.generate.Generator;
import io.m31r.release.model.generate.SamplingParams;
import io.m31r.release.model.runtime.RuntimeOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample model (seed 42) is the same bytes on every machine: its hash is a constant here, and
 * so is the greedy completion of the sample's smoke prompt. Another CPU kind, thread count or JVM
 * that trains other bytes fails here, naming both hashes (docs/rebuild.md lists the configurations
 * verified).
 */
class SampleGoldenTest {
  static final String GOLDEN_MODEL_SHA256 = "a40d780621ed7a6ba0edab0603b5aefbc3c062f80825d415f87e8c11d70f266d";
  static final String GOLDEN_SMOKE_COMPLETION = "    n % 2 == 0\n}\n";

  private static Path ws;

  @BeforeAll
  static void workspace() {
    ws = io.m31r.release.testing.SampleWorkspaces.master();
  }

  @Test
  void theSampleModelHasTheGoldenHash() {
    String actual = FileDigests.sha256(ws.resolve(SampleWorkspace.CHECKPOINT).resolve(SampleModelBuilder.MODEL_FILE));
    assertEquals(GOLDEN_MODEL_SHA256, actual,
        "the sample model (seed 42) trained here is " + actual + ", not the golden " + GOLDEN_MODEL_SHA256
            + ": training is not bit-identical on this machine (docs/rebuild.md)");
  }

  @Test
  void greedyGenerationCompletesTheSmokePromptWithTheGoldenTokens() throws Exception {
    BenchSuite suite = new SuiteLoader().load(ws.resolve(SampleWorkspace.SUITE));
    String prompt = SampleWorkspace.smokePrompt(42);
    BenchTask task = suite.tasks().stream().filter(t -> t.prompt().equals(prompt)).findFirst().orElseThrow();
    ModelBundle bundle = ModelBundle.open(ws.resolve(SampleWorkspace.CHECKPOINT), false);
    io.m31r.release.model.runtime.DjlSetup.pytorch();
    int before = JniUtils.getNumThreads();
    for (int threads : new int[] {1, 2}) {
      JniUtils.setNumThreads(threads);
      try (LoadedModel model = LoadedModel.load(bundle, RuntimeOptions.CPU_FP32)) {
        String completion = Generator.generate(model,
            new GenerationRequest(prompt, 64, SamplingParams.GREEDY, 42, 1, task.stopStrings())).completions().get(0).text();
        assertEquals(GOLDEN_SMOKE_COMPLETION, completion, "greedy completion of " + prompt.strip() + " at " + threads + " threads");
      } finally {
        JniUtils.setNumThreads(before);
      }
    }
  }
}
