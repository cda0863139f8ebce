package io.m31r.release.model.bench;

import io.m31r.release.json.CanonicalJson;
import io.m31r.release.model.LoadedModel;
import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.runtime.DjlSetup;
import io.m31r.release.model.runtime.KvCache;
import io.m31r.release.model.runtime.M31rTransformer;
import io.m31r.release.model.runtime.PeakRss;
import io.m31r.release.model.runtime.RuntimeOptions;
import io.m31r.release.model.testing.RandomModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Decoding speed of the runtime on CPU, run by {@code scripts/bench/generate} (one JVM per model,
 * so peak RSS is the model's own: JVM, libtorch and weights). Usage: {@code GenerateBench
 * write-random DIR} writes the random-weight bench bundle; {@code GenerateBench run LABEL DIR}
 * measures a bundle and prints one canonical JSON object; {@code loop DIR BATCH SECONDS} decodes
 * for a profiler.
 */
public final class GenerateBench {
  /** 6 layers, d=384, 6 heads x 64, context 1024, vocab 16384: about 17M parameters. */
  static final ModelConfig BENCH_SHAPE = new ModelConfig(6, 384, 6, 64, 1024, 0.0, 1e-6, 10000.0, 0.02, 16384, "1.0.0");

  private GenerateBench() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 2 && args[0].equals("write-random")) {
      // Written by a JVM of its own so that generating it does not count in the benchmark's peak RSS.
      new RandomModel(BENCH_SHAPE, 1).writeBundle(Path.of(args[1]), true);
      return;
    }
    if (args.length == 4 && args[0].equals("loop")) {
      loop(Path.of(args[1]), Integer.parseInt(args[2]), Double.parseDouble(args[3]));
      return;
    }
    if (args.length != 3 || !args[0].equals("run")) {
      throw new IllegalArgumentException("usage: GenerateBench write-random DIR | run LABEL DIR | loop DIR BATCH SECONDS");
    }
    String label = args[1];
    Path bundleDir = Path.of(args[2]);
    int threads = Integer.getInteger("m31r.bench.threads", 1);
    DjlSetup.defaultThreads(threads);
    long loadStart = System.nanoTime();
    ModelBundle bundle = ModelBundle.open(bundleDir, true);
    Map<String, Object> report = new LinkedHashMap<>();
    try (LoadedModel model = LoadedModel.load(bundle, RuntimeOptions.CPU_FP32)) {
      double loadMs = (System.nanoTime() - loadStart) / 1e6;
      M31rTransformer t = model.transformer();
      ModelConfig c = model.config();
      int promptTokens = Math.min(64, c.contextLength() / 8);
      int steps = Math.min(128, c.contextLength() - promptTokens - 1);
      int[] prompt = new Random(3).ints(promptTokens, 4, model.tokenizer().vocabSize()).toArray();
      decode(t, prompt, 1, 8, 0); // warm-up: first calls pay libtorch's one-time setup
      report.put("model", label);
      report.put("torch_threads", System.getProperty(DjlSetup.THREADS_PROPERTY));
      report.put("parameters", parameters(c));
      report.put("load_ms", loadMs);
      report.put("prompt_tokens", promptTokens);
      report.put("decode_steps", steps);
      int allowed = model.tokenizer().vocabSize();
      decode(t, prompt, 1, 8, allowed); // warm-up of the greedy path
      report.put("single", stats(decode(t, prompt, 1, steps, 0), 1));
      report.put("tensors_per_step_single", t.tensorsLastStep());
      report.put("batch8", stats(decode(t, prompt, 8, steps, 0), 8));
      report.put("tensors_per_step_batch8", t.tensorsLastStep());
      report.put("single_greedy", stats(decode(t, prompt, 1, steps, allowed), 1));
      report.put("tensors_per_step_greedy", t.tensorsLastStep());
      report.put("batch8_greedy", stats(decode(t, prompt, 8, steps, allowed), 8));
    }
    report.put("peak_rss_bytes", PeakRss.bytes().orElse(-1));
    report.put("available_processors", Runtime.getRuntime().availableProcessors());
    System.out.print(CanonicalJson.string(report));
  }

  /**
   * Greedy decode steps of {@code batch} rows, repeated for {@code seconds}, for a profiler to
   * sample (scripts/bench/decode-perf: {@code perf record -D} skips the load). Prints ms per step.
   */
  private static void loop(Path bundleDir, int batch, double seconds) throws IOException {
    DjlSetup.defaultThreads(Integer.getInteger("m31r.bench.threads", 1));
    try (LoadedModel model = LoadedModel.load(ModelBundle.open(bundleDir, true), RuntimeOptions.CPU_FP32)) {
      M31rTransformer t = model.transformer();
      int[] prompt = new Random(3).ints(64, 4, model.tokenizer().vocabSize()).toArray();
      long end = System.nanoTime() + (long) (seconds * 1e9);
      int steps = 0;
      long start = System.nanoTime();
      while (System.nanoTime() < end) {
        double[] ms = decode(t, prompt, batch, 128, model.tokenizer().vocabSize());
        steps += ms.length;
      }
      System.out.printf("batch %d: %.3f ms per step over %d steps%n", batch, (System.nanoTime() - start) / 1e6 / steps, steps);
    }
  }

  /**
   * Per-step wall times (ms) of {@code steps} batched single-token steps after the prompt: logits
   * copied to Java when {@code greedyAllowed} is 0, else the engine's argmax over ids below it.
   */
  private static double[] decode(M31rTransformer t, int[] prompt, int batch, int steps, int greedyAllowed) {
    double[] ms = new double[steps];
    try (KvCache one = t.newCache(1)) {
      t.step(new int[][] {prompt}, one);
      try (KvCache cache = batch == 1 ? null : one.replicate(batch)) {
        KvCache active = cache == null ? one : cache;
        int[][] next = new int[batch][1];
        for (int s = 0; s < steps; s++) {
          for (int b = 0; b < batch; b++) {
            next[b][0] = 5 + (s * 7 + b) % 50;
          }
          long start = System.nanoTime();
          if (greedyAllowed > 0) {
            t.stepGreedy(next, active, greedyAllowed);
          } else {
            t.step(next, active);
          }
          ms[s] = (System.nanoTime() - start) / 1e6;
        }
      }
    }
    return ms;
  }

  private static Map<String, Object> stats(double[] ms, int batch) {
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    double total = Arrays.stream(ms).sum();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("ms_per_step_median", round(sorted[sorted.length / 2]));
    s.put("ms_per_step_p95", round(sorted[(int) Math.ceil(0.95 * sorted.length) - 1]));
    s.put("tokens_per_s", round(batch * ms.length * 1000.0 / total));
    return s;
  }

  private static long parameters(ModelConfig c) {
    long d = c.hiddenSize();
    long a = c.attentionWidth();
    long f = c.ffnHiddenSize();
    return c.vocabSize() * d + d + c.nLayers() * (4 * a * d + 3 * f * d + 2 * d);
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
