package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.packaging.StagedRelease;
import io.m31r.release.testing.ReleaseFixtures;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.config.WeightLayout;
import io.m31r.release.model.safetensors.F32SafetensorsWriter;
import io.m31r.release.packaging.PackageInputs;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleasePackager;
import io.m31r.release.packaging.ReleaseReadme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validation stage on its own: a staged package whose smoke completion does not compile blocks. */
class ValidationStageTest {
  @TempDir Path work;

  @Test
  void aSmokeCompletionThatDoesNotCompileBlocksWithExit3AndChangesNothing() throws Exception {
    // Untrained weights: their greedy continuation of a function returning a value is not Rust.
    StagedRelease staged = stageLoadableModel();
    Map<String, String> before = ReleaseFixtures.snapshot(staged.dir());
    GateFailedException e = assertThrows(GateFailedException.class,
        () -> new ValidationStage().run(staged, "fn f()->u8{", 4, work.resolve("validation-work")));
    assertEquals(ExitCode.GATE_BLOCKED, e.exitCode());
    assertTrue(e.getMessage().startsWith("validation: the staged model's completion of the smoke prompt does not compile (COMPILE_ERROR"),
        e.getMessage());
    assertTrue(e.getMessage().contains("completion was '"), e.getMessage());
    assertEquals(before, ReleaseFixtures.snapshot(staged.dir()), "validation only reads the staged package");
  }

  /** The fixture's files with the vocabulary widened to the tokenizer's 260 ids, so the runtime loads it. */
  private StagedRelease stageLoadableModel() throws Exception {
    Path dir = ReleaseFixtures.writeModelFiles(work.resolve("model"), 0);
    ModelConfig c = ReleaseFixtures.CONFIG;
    ModelConfig wide = new ModelConfig(c.nLayers(), c.hiddenSize(), c.nHeads(), c.headDim(), c.contextLength(), c.dropout(),
        c.normEps(), c.ropeTheta(), c.initStd(), 260, c.configVersion());
    List<F32SafetensorsWriter.Tensor> tensors = new ArrayList<>();
    int k = 0;
    for (Map.Entry<String, long[]> e : WeightLayout.required(wide).entrySet()) {
      float[] v = new float[(int) Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b)];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) Math.sin(0.37 * i + k);
      }
      tensors.add(new F32SafetensorsWriter.Tensor(e.getKey(), e.getValue(), v));
      k++;
    }
    F32SafetensorsWriter.write(dir.resolve("model.safetensors"), Map.of("format", "pt"), tensors);
    Files.writeString(dir.resolve("config.yaml"), ReleaseFixtures.configYaml().replace("vocab_size: 32", "vocab_size: 260"));
    ReleaseMetadata m = ReleaseFixtures.metadata(dir, "0.1.0", ReleaseType.A);
    return new ReleasePackager().stage(
        new PackageInputs(dir.resolve("model.safetensors"), dir.resolve("tokenizer.json"), dir.resolve("config.yaml"), m,
            ReleaseReadme.render(m, "New features: first release.")),
        work.resolve("staged/0.1.0"));
  }
}
