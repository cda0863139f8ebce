package io.m31r.release.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.config.WeightLayout;
import io.m31r.release.model.safetensors.SafetensorsFile;
import io.m31r.release.model.testing.RandomModel;
import io.m31r.release.model.testing.ReferenceM31r;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class M31rTransformerTest {
  private static final double TOLERANCE = 1e-4;

  @TempDir static Path dir;
  private static RandomModel model;
  private static M31rTransformer runtime;

  @BeforeAll
  static void load() throws IOException {
    model = new RandomModel(RandomModel.tinyConfig(40), 7);
    runtime = loadRuntime(model, "F32", "tiny.safetensors");
  }

  @AfterAll
  static void close() {
    runtime.close();
  }

  private static M31rTransformer loadRuntime(RandomModel m, String dtype, String name) throws IOException {
    Path file = dir.resolve(name);
    m.writeSafetensors(file, dtype, true);
    SafetensorsFile st = SafetensorsFile.open(file);
    WeightLayout.check(m.config(), st);
    return M31rTransformer.load(m.config(), st, RuntimeOptions.CPU_FP32);
  }

  static int[] randomTokens(Random random, int n, int vocab) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = random.nextInt(vocab);
    }
    return t;
  }

  /** Largest absolute difference relative to the largest reference magnitude. */
  static double relativeError(float[] actual, double[] expected) {
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < expected.length; i++) {
      diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
      scale = Math.max(scale, Math.abs(expected[i]));
    }
    return diff / scale;
  }

  static double relativeError(float[] actual, float[] expected) {
    double[] e = new double[expected.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = expected[i];
    }
    return relativeError(actual, e);
  }

  @Test
  void logitsMatchTheDoublePrecisionReference() {
    int[] tokens = randomTokens(new Random(1), 20, 40);
    float[][] actual = runtime.logitsAll(new int[][] {tokens})[0];
    double[][] expected = new ReferenceM31r(model).logits(tokens);
    for (int i = 0; i < tokens.length; i++) {
      double err = relativeError(actual[i], expected[i]);
      assertTrue(err < TOLERANCE, "position " + i + " relative error " + err);
    }
  }

  @Test
  void headWidthMayDifferFromHiddenSize() throws IOException {
    ModelConfig narrow = new ModelConfig(2, 32, 2, 8, 16, 0.0, 1e-5, 500.0, 0.02, 30, "1.0.0");
    RandomModel m = new RandomModel(narrow, 11);
    try (M31rTransformer r = loadRuntime(m, "F32", "narrow.safetensors")) {
      int[] tokens = randomTokens(new Random(2), 16, 30);
      float[][] actual = r.logitsAll(new int[][] {tokens})[0];
      double[][] expected = new ReferenceM31r(m).logits(tokens);
      for (int i = 0; i < tokens.length; i++) {
        assertTrue(relativeError(actual[i], expected[i]) < TOLERANCE, "position " + i);
      }
    }
  }

  @Test
  void bf16CheckpointLoadsWithoutCrashingAndComputesTheRoundedModel() throws IOException {
    RandomModel m = new RandomModel(RandomModel.tinyConfig(40), 13);
    for (Map.Entry<String, float[]> e : m.weights().entrySet()) {
      float[] w = e.getValue();
      for (int i = 0; i < w.length; i++) {
        w[i] = Float.intBitsToFloat(Float.floatToRawIntBits(w[i]) & 0xffff0000);
      }
    }
    try (M31rTransformer r = loadRuntime(m, "BF16", "bf16.safetensors")) {
      int[] tokens = randomTokens(new Random(3), 10, 40);
      float[][] actual = r.logitsAll(new int[][] {tokens})[0];
      double[][] expected = new ReferenceM31r(m).logits(tokens);
      for (int i = 0; i < tokens.length; i++) {
        assertTrue(relativeError(actual[i], expected[i]) < TOLERANCE, "position " + i);
      }
    }
  }

  @Test
  void kvCacheDecodingEqualsFullRecomputation() {
    int[] tokens = randomTokens(new Random(4), 14, 40);
    float[][] full = runtime.logitsAll(new int[][] {tokens})[0];
    try (KvCache cache = runtime.newCache(1)) {
      // A 5-token prefill, a 3-token chunk (mask with an offset), then single tokens.
      float[] prefill = runtime.step(new int[][] {slice(tokens, 0, 5)}, cache)[0];
      assertTrue(relativeError(prefill, full[4]) < 1e-5);
      float[] chunk = runtime.step(new int[][] {slice(tokens, 5, 8)}, cache)[0];
      assertTrue(relativeError(chunk, full[7]) < 1e-5);
      for (int i = 8; i < tokens.length; i++) {
        float[] step = runtime.step(new int[][] {{tokens[i]}}, cache)[0];
        double err = relativeError(step, full[i]);
        assertTrue(err < 1e-5, "position " + i + " error " + err);
      }
      assertEquals(tokens.length, cache.length());
    }
  }

  @Test
  void batchedDecodingEqualsOneByOne() {
    Random random = new Random(5);
    int[][] prompts = {randomTokens(random, 6, 40), randomTokens(random, 6, 40), randomTokens(random, 6, 40)};
    int[][] next = {randomTokens(random, 3, 40), randomTokens(random, 3, 40), randomTokens(random, 3, 40)};
    float[][][] batched = new float[4][][];
    try (KvCache cache = runtime.newCache(3)) {
      batched[0] = runtime.step(prompts, cache);
      for (int s = 0; s < 3; s++) {
        batched[s + 1] = runtime.step(new int[][] {{next[0][s]}, {next[1][s]}, {next[2][s]}}, cache);
      }
    }
    for (int row = 0; row < 3; row++) {
      try (KvCache single = runtime.newCache(1)) {
        float[] alone = runtime.step(new int[][] {prompts[row]}, single)[0];
        assertTrue(relativeError(batched[0][row], alone) < 1e-5, "row " + row);
        for (int s = 0; s < 3; s++) {
          alone = runtime.step(new int[][] {{next[row][s]}}, single)[0];
          assertTrue(relativeError(batched[s + 1][row], alone) < 1e-5, "row " + row + " step " + s);
        }
      }
    }
  }

  @Test
  void replicatedPrefillContinuesLikeFreshSequences() {
    int[] prompt = randomTokens(new Random(6), 7, 40);
    try (KvCache one = runtime.newCache(1)) {
      runtime.step(new int[][] {prompt}, one);
      try (KvCache many = one.replicate(2)) {
        float[][] out = runtime.step(new int[][] {{9}, {17}}, many);
        float[][] full9 = runtime.logitsAll(new int[][] {append(prompt, 9)})[0];
        float[][] full17 = runtime.logitsAll(new int[][] {append(prompt, 17)})[0];
        assertTrue(relativeError(out[0], full9[7]) < 1e-5);
        assertTrue(relativeError(out[1], full17[7]) < 1e-5);
      }
    }
  }

  @Test
  void refusesToRunPastTheContextWindow() {
    int[] tokens = new int[runtime.config().contextLength() + 1];
    assertThrows(BadInputException.class, () -> runtime.logitsAll(new int[][] {tokens}));
    try (KvCache cache = runtime.newCache(1)) {
      runtime.step(new int[][] {new int[runtime.config().contextLength()]}, cache);
      assertThrows(BadInputException.class, () -> runtime.step(new int[][] {{1}}, cache));
    }
  }

  /** The cache is written in place and grows by doubling; positions copied across a growth stay right. */
  @Test
  void kvCacheGrowsByDoublingAndKeepsWhatItHeld() throws IOException {
    RandomModel longer = new RandomModel(new ModelConfig(2, 32, 2, 16, 160, 0.0, 1e-6, 10000.0, 0.02, 40, "1.0.0"), 8);
    try (M31rTransformer t = loadRuntime(longer, "F32", "longer.safetensors")) {
      int[] tokens = randomTokens(new Random(9), 70, 40);
      float[][] full = t.logitsAll(new int[][] {tokens})[0];
      try (KvCache cache = t.newCache(1)) {
        t.step(new int[][] {slice(tokens, 0, 5)}, cache);
        assertEquals(64, cache.capacity());
        for (int i = 5; i < tokens.length; i++) {
          float[] step = t.step(new int[][] {{tokens[i]}}, cache)[0];
          double err = relativeError(step, full[i]);
          assertTrue(err < 1e-5, "position " + i + " error " + err);
        }
        assertEquals(128, cache.capacity());
        assertEquals(70, cache.length());
      }
    }
  }

  @Test
  void greedyOnTheEngineEqualsTheArgmaxOfTheLogitsBelowTheAllowedIds() {
    Random random = new Random(10);
    int[][] prompts = {randomTokens(random, 4, 40), randomTokens(random, 4, 40), randomTokens(random, 4, 40)};
    for (int allowed : new int[] {40, 23, 1}) {
      try (KvCache a = runtime.newCache(3); KvCache b = runtime.newCache(3)) {
        float[][] logits = runtime.step(prompts, a);
        int[] ids = runtime.stepGreedy(prompts, b, allowed);
        for (int r = 0; r < 3; r++) {
          int best = 0;
          for (int i = 1; i < allowed; i++) {
            best = logits[r][i] > logits[r][best] ? i : best;
          }
          assertEquals(best, ids[r], "row " + r + ", allowed " + allowed);
        }
        assertEquals(a.length(), b.length());
      }
    }
  }

  /** Weights that give NaN are a broken model, the same on every run: exit 2, never the retry of exit 1. */
  @Test
  void nanWeightsAreABrokenModelOnTheEngineGreedyPathToo() throws IOException {
    RandomModel broken = new RandomModel(RandomModel.tinyConfig(40), 7);
    java.util.Arrays.fill(broken.weight("norm.weight"), Float.NaN);
    try (M31rTransformer t = loadRuntime(broken, "F32", "nan.safetensors"); KvCache cache = t.newCache(1)) {
      NonFiniteLogitsException e = assertThrows(NonFiniteLogitsException.class, () -> t.stepGreedy(new int[][] {{1, 2, 3}}, cache, 40));
      assertEquals(io.m31r.release.failure.ExitCode.BAD_INPUT, e.exitCode());
    }
  }

  /** Top-k on the engine hands the sampler what it needs to pick the token it picks from the whole row. */
  @Test
  void topKOnTheEngineGivesTheSamplerTheSameTokens() {
    Random random = new Random(11);
    int[][] prompts = {randomTokens(random, 5, 40), randomTokens(random, 5, 40)};
    var params = new io.m31r.release.model.generate.SamplingParams(1.3, 7, 0.95);
    var sampler = new io.m31r.release.model.generate.TokenSampler(params);
    try (KvCache a = runtime.newCache(2); KvCache b = runtime.newCache(2)) {
      float[][] logits = runtime.step(prompts, a);
      TopK[] top = runtime.stepTopK(prompts, b, 37, 7);
      for (int r = 0; r < 2; r++) {
        assertEquals(7, top[r].ids().length);
        for (long seed = 0; seed < 200; seed++) {
          assertEquals(sampler.next(logits[r], 37, new java.util.SplittableRandom(seed)),
              sampler.next(top[r], 37, new java.util.SplittableRandom(seed)), "row " + r + " seed " + seed);
        }
      }
    }
  }

  /** The engine orders equal logits as it likes; candidates come back ordered as the sampler orders them. */
  @Test
  void topKCandidatesAreOrderedByLogitThenLowerId() {
    TopK c = TopK.of(new float[] {2f, 2f, 3f}, new long[] {9, 4, 1});
    assertEquals(List.of(1L, 4L, 9L), List.of(c.ids()[0], c.ids()[1], c.ids()[2]));
    assertEquals(List.of(3f, 2f, 2f), List.of(c.logits()[0], c.logits()[1], c.logits()[2]));
    assertTrue(TopK.all(new float[] {1f}).complete());
  }

  private static int[] slice(int[] a, int from, int to) {
    return java.util.Arrays.copyOfRange(a, from, to);
  }

  private static int[] append(int[] a, int x) {
    int[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = x;
    return out;
  }
}
