package io.m31r.release.model.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.config.WeightLayout;
import io.m31r.release.model.runtime.M31rTransformer;
import io.m31r.release.model.runtime.RuntimeOptions;
import io.m31r.release.model.safetensors.SafetensorsFile;
import io.m31r.release.model.tokenizer.BpeTrainer;
import io.m31r.release.model.tokenizer.HfTokenizerJson;
import io.m31r.release.model.tokenizer.M31rTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer on a tiny model and corpus: same inputs give the same bytes, another seed other
 * bytes, the loss falls, and the runtime, reading the written checkpoint, predicts the training
 * text: the trainer optimised the model the runtime runs.
 */
class ModelTrainerTest {
  static final List<String> DOCS =
      List.of("fn one() -> i32 {\n    1\n}\n", "fn two() -> i32 {\n    2\n}\n", "fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n");

  @TempDir static Path tmp;
  static Path dataset;
  static Path tokenizerFile;

  @BeforeAll
  static void corpus() throws Exception {
    dataset = Files.createDirectories(tmp.resolve("dataset/text"));
    StringBuilder jsonl = new StringBuilder();
    for (String d : DOCS) {
      jsonl.append("{\"text\":").append(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(d)).append("}\n");
    }
    Files.writeString(dataset.resolve("shard_0000.jsonl"), jsonl);
    dataset = dataset.getParent();
    tokenizerFile = tmp.resolve("tokenizer.json");
    HfTokenizerJson.write(BpeTrainer.train(DOCS, 300), tokenizerFile);
  }

  static ModelConfig config(int vocab) {
    return new ModelConfig(2, 32, 2, 16, 64, 0.0, 1e-6, 10000.0, 0.02, vocab, "1.0.0");
  }

  static TrainingConfig train(long seed, int steps) {
    return new TrainingConfig(seed, 3, steps, 1e-2, 1e-4, 0.01, 0.9, 0.95, 1.0, Math.min(5, steps), 1, "dataset", ".");
  }

  static TrainingResult run(long seed, int steps, Path out) {
    return run(train(seed, steps), out);
  }

  static TrainingResult run(TrainingConfig train, Path out) {
    try (M31rTokenizer tokenizer = M31rTokenizer.load(tokenizerFile)) {
      ModelConfig model = config(tokenizer.vocabSize());
      TrainingCorpus corpus = TrainingCorpus.load(dataset, tokenizer, model.contextLength());
      return new ModelTrainer(model, train).train(corpus, Map.of("dataset_sha256", "x"), out, ModelTrainer.StepListener.NONE);
    }
  }

  @Test
  void aTrainingWhoseRateChangesAfterStep30IsReportedDivergedAtStep40() throws Exception {
    // Warm-up covers steps 1..30 and does not use min_learning_rate; the cosine after it does.
    TrainingResult a = run(new TrainingConfig(1, 3, 45, 1e-2, 1e-4, 0.01, 0.9, 0.95, 1.0, 30, 1, "dataset", "."), tmp.resolve("p.safetensors"));
    run(new TrainingConfig(1, 3, 45, 1e-2, 5e-3, 0.01, 0.9, 0.95, 1.0, 30, 1, "dataset", "."), tmp.resolve("q.safetensors"));
    var p = TrainingRecord.read(TrainingRecord.beside(tmp.resolve("p.safetensors")));
    var q = TrainingRecord.read(TrainingRecord.beside(tmp.resolve("q.safetensors")));
    assertEquals(tmp.resolve("p.training.json"), TrainingRecord.beside(tmp.resolve("p.safetensors")));
    assertEquals(List.of(10, 20, 30, 40, 45), p.orElseThrow().checkpoints().stream().map(TrainingRecord.Checkpoint::step).toList());
    assertEquals(a.losses(), p.orElseThrow().losses());
    String first = p.orElseThrow().checkpoints().get(0).tensors().get(0).name();
    assertEquals(WeightLayout.required(config(300)).keySet().iterator().next(), first);
    assertEquals("diverged at step 40: " + first, TrainingRecord.divergence(p, q));
    assertEquals("no recorded step differs (the trainings part after step 45 or outside the weights: metadata, file layout)",
        TrainingRecord.divergence(p, p));
    assertEquals("where they diverged is unknown: the rebuild has no readable training record (*.training.json)",
        TrainingRecord.divergence(p, java.util.Optional.empty()));
  }

  @Test
  void trainingRefusesAProcessWithoutItsEnvironment() {
    var env = new java.util.HashMap<>(System.getenv());
    env.put("ATEN_CPU_CAPABILITY", "avx2");
    BadInputException e = assertThrows(BadInputException.class, () -> TrainingEnvironment.require(env));
    assertEquals("training runs only in a process started with ATEN_CPU_CAPABILITY=default (found avx2); "
        + "m31r sample starts such a child JVM itself, see docs/rebuild.md", e.getMessage());
    assertTrue(TrainingEnvironment.active(TrainingEnvironment.forChild(env)));
  }

  @Test
  void sameInputsSameBytesAnotherSeedOtherBytesAndTheLossFalls() throws Exception {
    io.m31r.release.model.runtime.DjlSetup.pytorch();
    int threadsBefore = JniUtils.getNumThreads();
    TrainingResult a = run(1, 60, tmp.resolve("a.safetensors"));
    TrainingResult b = run(1, 60, tmp.resolve("b.safetensors"));
    run(2, 60, tmp.resolve("c.safetensors"));
    assertArrayEquals(Files.readAllBytes(tmp.resolve("a.safetensors")), Files.readAllBytes(tmp.resolve("b.safetensors")));
    assertFalse(java.util.Arrays.equals(
        Files.readAllBytes(tmp.resolve("a.safetensors")), Files.readAllBytes(tmp.resolve("c.safetensors"))));
    assertEquals(a.losses(), b.losses());
    assertTrue(a.finalLoss() < a.losses().get(0) / 4, "loss " + a.losses().get(0) + " -> " + a.finalLoss());
    assertEquals(threadsBefore, JniUtils.getNumThreads(), "the run's thread count is restored");
    Map<String, String> meta = SafetensorsFile.open(tmp.resolve("a.safetensors")).metadata();
    assertEquals("1", meta.get("seed"));
    assertEquals("60", meta.get("steps"));
    assertEquals("x", meta.get("dataset_sha256"));
    assertEquals(Float.toString(a.finalLoss()), meta.get("final_loss"));
  }

  @Test
  void theRuntimeReadingTheCheckpointPredictsTheTrainingText() throws Exception {
    Path out = tmp.resolve("memorised.safetensors");
    run(3, 150, out);
    try (M31rTokenizer tokenizer = M31rTokenizer.load(tokenizerFile)) {
      ModelConfig model = config(tokenizer.vocabSize());
      SafetensorsFile file = SafetensorsFile.open(out);
      WeightLayout.check(model, file);
      int right = 0;
      int total = 0;
      try (M31rTransformer t = M31rTransformer.load(model, file, RuntimeOptions.CPU_FP32)) {
        for (String doc : DOCS) {
          int[] ids = TrainingCorpus.encodeByLine(tokenizer, doc);
          float[][][] logits = t.logitsAll(new int[][] {ids});
          // Position 0 cannot know which function follows "fn"; from the name on, the text is determined.
          for (int i = 2; i + 1 < ids.length; i++) {
            total++;
            if (argmax(logits[0][i]) == ids[i + 1]) {
              right++;
            }
          }
        }
      }
      assertTrue(right >= total * 9 / 10, right + " of " + total + " next tokens predicted");
    }
  }

  @Test
  void linesAreTokenisedOneByOneSoAPromptEndingAtALineEndMatchesTraining() {
    try (M31rTokenizer tokenizer = M31rTokenizer.load(tokenizerFile)) {
      String doc = DOCS.get(2);
      int[] byLine = TrainingCorpus.encodeByLine(tokenizer, doc);
      List<Integer> expected = new ArrayList<>();
      for (String line : doc.split("(?<=\n)")) {
        for (int id : tokenizer.encode(line)) {
          expected.add(id);
        }
      }
      assertEquals(expected, java.util.Arrays.stream(byLine).boxed().toList());
      assertEquals(doc, tokenizer.decode(byLine));
      int[] prompt = tokenizer.encode("fn add(a: i32, b: i32) -> i32 {\n");
      assertArrayEquals(prompt, java.util.Arrays.copyOf(byLine, prompt.length));
    }
  }

  @Test
  void refusesTokenIdsTheModelHasNoRowFor() {
    try (M31rTokenizer tokenizer = M31rTokenizer.load(tokenizerFile)) {
      TrainingCorpus corpus = TrainingCorpus.load(dataset, tokenizer, 64);
      ModelTrainer small = new ModelTrainer(config(10), train(1, 1));
      BadInputException e = assertThrows(BadInputException.class,
          () -> small.train(corpus, Map.of(), tmp.resolve("never.safetensors"), ModelTrainer.StepListener.NONE));
      assertTrue(e.getMessage().contains("model.vocab_size is 10"), e.getMessage());
      assertFalse(Files.exists(tmp.resolve("never.safetensors")));
    }
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
