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

  private static int[] slice(int[] a, int from, int to) {
    return java.util.Arrays.copyOfRange(a, from, to);
  }

  private static int[] append(int[] a, int x) {
    int[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = x;
    return out;
  }
}
