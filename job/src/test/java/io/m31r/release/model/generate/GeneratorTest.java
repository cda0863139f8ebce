package io.m31r.release.model.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.model.LoadedModel;
import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.model.runtime.RuntimeOptions;
import io.m31r.release.model.testing.RandomModel;
import io.m31r.release.model.testing.TestTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {
  @TempDir static Path dir;
  private static LoadedModel model;

  @BeforeAll
  static void load() throws IOException {
    // A model vocabulary larger than the tokenizer's: the extra rows must never be sampled.
    RandomModel random = new RandomModel(RandomModel.tinyConfig(TestTokenizer.vocabSize() + 7), 21);
    Path bundle = random.writeBundle(dir.resolve("bundle"), true);
    model = LoadedModel.load(ModelBundle.open(bundle, false), RuntimeOptions.CPU_FP32);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static GenerationRequest request(double temperature, int samples, long seed, List<String> stops, int max) {
    return new GenerationRequest("fn add(a: i32", max, new SamplingParams(temperature, 0, 1), seed, samples, stops);
  }

  @Test
  void greedyMatchesStepByStepArgmaxOverTheFullSequence() {
    GenerationResult r = Generator.generate(model, request(0, 1, 0, List.of(), 6));
    Completion c = r.completions().get(0);
    int[] prompt = model.tokenizer().encode("fn add(a: i32");
    assertEquals(prompt.length, r.promptTokens());
    // Recompute without cache: each next token is the argmax (within the tokenizer) of full logits.
    int[] seq = prompt;
    StringBuilder expected = new StringBuilder();
    int produced = 0;
    for (int i = 0; i < 6; i++) {
      float[][] logits = model.transformer().logitsAll(new int[][] {seq})[0];
      int next = TokenSampler.argmax(logits[seq.length - 1], model.tokenizer().vocabSize());
      if (next == 3) {
        break;
      }
      seq = java.util.Arrays.copyOf(seq, seq.length + 1);
      seq[seq.length - 1] = next;
      produced++;
    }
    int[] completionIds = java.util.Arrays.copyOfRange(seq, prompt.length, seq.length);
    expected.append(model.tokenizer().decode(completionIds));
    assertEquals(expected.toString(), c.text());
    assertEquals(produced, c.tokens());
  }

  @Test
  void seededSamplingReproducesAndSamplesDiffer() {
    GenerationResult a = Generator.generate(model, request(1.5, 4, 99, List.of(), 8));
    GenerationResult b = Generator.generate(model, request(1.5, 4, 99, List.of(), 8));
    assertEquals(a.completions(), b.completions());
    Set<String> distinct = a.completions().stream().map(Completion::text).collect(Collectors.toSet());
    assertTrue(distinct.size() > 1, "4 samples at T=1.5 all equal: " + distinct);
    GenerationResult other = Generator.generate(model, request(1.5, 4, 100, List.of(), 8));
    assertNotEquals(a.completions(), other.completions());
  }

  @Test
  void batchedSamplesEqualTheSameSamplesRunAlone() {
    GenerationResult batch = Generator.generate(model, request(1.2, 3, 5, List.of(), 6));
    // Sample 0 of a batch draws from the stream of (seed, prompt, 0), like a single-sample run.
    GenerationResult alone = Generator.generate(model, request(1.2, 1, 5, List.of(), 6));
    assertEquals(alone.completions().get(0), batch.completions().get(0));
  }

  @Test
  void stopsAtTheBudgetAndCutsBeforeStopStrings() {
    GenerationResult free = Generator.generate(model, request(0, 1, 0, List.of(), 10));
    Completion c = free.completions().get(0);
    assertTrue(c.tokens() <= 10);
    if (c.finishReason() == FinishReason.LENGTH) {
      assertEquals(10, c.tokens());
    }
    assertTrue(c.text().length() >= 2, "need some text to pick a stop string from: " + c);
    // A stop string taken from the middle of the greedy text cuts the completion just before it.
    String stop = c.text().substring(c.text().length() / 2, c.text().length() / 2 + 2);
    GenerationResult stopped = Generator.generate(model, request(0, 1, 0, List.of(stop), 10));
    Completion s = stopped.completions().get(0);
    assertEquals(FinishReason.STOP, s.finishReason());
    assertEquals(c.text().substring(0, c.text().indexOf(stop)), s.text());
    assertFalse(s.text().contains(stop));
  }

  @Test
  void concurrentGenerationsOnOneSharedModelEqualSequentialOnes() throws Exception {
    // Spark tasks in one executor share a cached model and call it from several threads at once.
    List<GenerationRequest> requests = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      requests.add(request(1.0, 2, i, List.of(), 6));
    }
    List<GenerationResult> sequential = new java.util.ArrayList<>();
    for (GenerationRequest r : requests) {
      sequential.add(Generator.generate(model, r));
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<GenerationResult>> futures = new java.util.ArrayList<>();
      for (GenerationRequest r : requests) {
        futures.add(pool.submit(() -> Generator.generate(model, r)));
      }
      for (int i = 0; i < requests.size(); i++) {
        assertEquals(sequential.get(i).completions(), futures.get(i).get().completions(), "request " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void contextWindowLimitsThePromptAndTheCompletion() {
    int ctx = model.config().contextLength();
    String longPrompt = "x".repeat(ctx + 1);
    assertThrows(PromptTooLongException.class,
        () -> Generator.generate(model, new GenerationRequest(longPrompt, 5, SamplingParams.GREEDY, 0, 1, List.of())));
    String nearlyFull = "x".repeat(ctx - 2);
    GenerationResult r = Generator.generate(model, new GenerationRequest(nearlyFull, 50, new SamplingParams(1, 0, 1), 3, 2, List.of()));
    for (Completion c : r.completions()) {
      assertTrue(c.tokens() <= 3, c.toString());
    }
    assertNotNull(r.completions().get(0).finishReason());
  }
}
