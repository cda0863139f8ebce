package io.m31r.release.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.m31r.release.model.LoadedModel;
import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.model.generate.GenerationRequest;
import io.m31r.release.model.generate.Generator;
import io.m31r.release.model.generate.SamplingParams;
import io.m31r.release.model.runtime.RuntimeOptions;
import io.m31r.release.model.safetensors.SafetensorsFile;
import io.m31r.release.model.safetensors.TensorEntry;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.UpstreamModelDir;
import io.m31r.release.testing.UpstreamShared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code m31r import-upstream} on the real upstream run, and on hand-made hostile runs. */
class UpstreamImportTest {
  private static final String PROMPT = "fn add(a: i32, b: i32) -> i32 {";

  @TempDir Path dir;

  @Test
  void importedStep500GeneratesExactlyWhatTheUpstreamModelGenerates() throws IOException {
    Path run = UpstreamShared.run().orElse(null);
    Path reference = UpstreamModelDir.path();
    assumeTrue(run != null && Files.isRegularFile(reference.resolve("model.safetensors")), "upstream run or model not on this machine");
    Path out = dir.resolve("ws");
    Cli.Run r = Cli.runWithoutSpark("import-upstream", run.toString(), "--step", "500", "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("step 500 (seed 42, 21 tensors)"), r.out());

    SafetensorsFile imported = SafetensorsFile.open(out.resolve("checkpoint/model.safetensors"));
    SafetensorsFile upstream = SafetensorsFile.open(reference.resolve("model.safetensors"));
    assertEquals("42", imported.metadata().get("seed"));
    assertEquals("500", imported.metadata().get("step"));
    assertEquals(upstream.header().tensors().keySet(), imported.header().tensors().keySet(), "both tied keys, the same names");
    for (TensorEntry t : upstream.header().tensors().values()) {
      assertArrayEquals(upstream.readFloats(t.name()), imported.readFloats(t.name()), t.name());
    }
    assertArrayEquals(
        Files.readAllBytes(run.resolve("../../data/tokenizer-overfit/tokenizer.json")), Files.readAllBytes(out.resolve("tokenizer.json")));

    String expected = generate(ModelBundle.open(reference, true));
    assertEquals(" a + b }fn sub(", expected, "the reference itself");
    // The imported checkpoint is a complete bundle with its checksum.txt: loaded verified.
    assertEquals(expected, generate(ModelBundle.open(out.resolve("checkpoint"), false)));

    Path again = dir.resolve("again");
    assertEquals(0, Cli.runWithoutSpark("import-upstream", run.toString(), "--step", "500", "--out", again.toString()).exitCode());
    assertArrayEquals(Files.readAllBytes(out.resolve("checkpoint/model.safetensors")), Files.readAllBytes(again.resolve("checkpoint/model.safetensors")),
        "the same checkpoint imports to the same bytes");
    Cli.Run exists = Cli.runWithoutSpark("import-upstream", run.toString(), "--out", out.toString());
    assertEquals(2, exists.exitCode());
    assertTrue(exists.err().contains("already exists"), exists.err());
  }

  @Test
  void aRunWhoseModelPtCallsOsSystemExits2AndWritesNothing() throws IOException {
    Path marker = dir.resolve("pwned");
    byte[] pickle = new TorchZips.Pickle().op(0x80, 2).global("os", "system").op('(').str("touch " + marker).op('t', 'R', '.').bytes();
    Path run = fakeRun(pickle);
    Path out = dir.resolve("ws");
    Cli.Run r = Cli.runWithoutSpark("import-upstream", run.toString(), "--tokenizer", run.resolve("tokenizer.json").toString(), "--out", out.toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("global os.system is not allowed"), r.err());
    assertFalse(Files.exists(marker), "the pickle's command ran");
    assertFalse(Files.exists(out), "a refused import leaves no output");
    try (var left = Files.list(dir)) {
      assertEquals(List.of("run"), left.map(p -> p.getFileName().toString()).toList(), "nor a temporary folder");
    }
  }

  @Test
  void aStepWithoutModelPtIsRefusedEvenWithOptimizerStateBesideIt() throws IOException {
    Path run = fakeRun(TorchZips.stateDictPickle("w", 6));
    Path step = run.resolve("checkpoints/step_000001");
    Files.move(step.resolve("model.pt"), step.resolve("optimizer.pt"));
    Cli.Run r = Cli.runWithoutSpark("import-upstream", run.toString(), "--tokenizer", run.resolve("tokenizer.json").toString(), "--out", dir.resolve("ws").toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("no model.pt"), r.err());
  }

  private Path fakeRun(byte[] pickle) throws IOException {
    Path run = dir.resolve("run");
    Path step = Files.createDirectories(run.resolve("checkpoints/step_000001"));
    TorchZips.write(step.resolve("model.pt"), pickle, Map.of());
    Files.writeString(run.resolve("tokenizer.json"), "{}");
    Files.writeString(step.resolve("metadata.json"), """
        {"global_step": 1, "seed": 7, "config_snapshot": {
          "global": {"config_version": "1.0.0", "project_name": "m31r", "seed": 7},
          "model": {"config_version": "1.0.0", "n_layers": 1, "hidden_size": 64, "n_heads": 2, "head_dim": 32,
            "context_length": 16, "dropout": 0.0, "norm_eps": 1e-06, "rope_theta": 10000.0, "init_std": 0.02, "vocab_size": 8},
          "train": {"config_version": "1.0.0", "batch_size": 1, "max_steps": 1, "learning_rate": 0.01, "min_learning_rate": 0.001,
            "weight_decay": 0.0, "beta1": 0.9, "beta2": 0.95, "grad_clip": 1.0, "warmup_steps": 0, "dataset_directory": "d",
            "tokenizer_directory": "t"},
          "runtime": null}}
        """);
    return run;
  }

  private static String generate(ModelBundle bundle) {
    try (LoadedModel model = LoadedModel.load(bundle, RuntimeOptions.CPU_FP32)) {
      return Generator.generate(model, new GenerationRequest(PROMPT, 8, SamplingParams.GREEDY, 0, 1, List.of()))
          .completions().get(0).text();
    }
  }
}
