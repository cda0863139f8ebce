package io.m31r.release.model.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.runtime.DjlSetup;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.BinaryOperator;
import java.util.function.IntFunction;

/**
 * Where a decode step's time goes, run by {@code scripts/bench/decode}: the bench shape's 25
 * matrix products alone (what a single stream must pay at least, since it reads every weight once),
 * the same for 8 rows, the same as {@code torch.nn.functional.linear} over [out, in] weights, the
 * single-row products with fp16 weights, and the cost of one small engine call. bf16 is not
 * measured: DJL 0.36's PyTorch JNI aborts the process on any bfloat16 tensor. Each figure is the
 * median over repeats in one JVM, with one libtorch thread as the runtime uses. Usage: {@code
 * StepProfile ENGINE_CALLS_PER_STEP} (the runtime's {@code tensorsLastStep}).
 */
public final class StepProfile {
  private static final int REPEATS = 200;

  private StepProfile() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: StepProfile ENGINE_CALLS_PER_STEP");
    }
    int callsPerStep = Integer.parseInt(args[0]);
    DjlSetup.defaultThreads(Integer.getInteger("m31r.bench.threads", 1));
    ModelConfig c = GenerateBench.BENCH_SHAPE;
    Engine engine = DjlSetup.pytorch();
    Map<String, Object> report = new LinkedHashMap<>();
    try (NDManager manager = engine.newBaseManager()) {
      NDArray[] f32 = weights(manager, c, DataType.FLOAT32);
      NDArray[] f16 = weights(manager, c, DataType.FLOAT16);
      report.put("weights_mb", GenerateBench.round(bytes(f32) / 1e6));
      report.put("products_per_step", f32.length);
      NDArray[] outIn = Arrays.stream(f32).map(w -> w.transpose().duplicate()).toArray(NDArray[]::new);
      report.put("products_f32_batch1_ms", timeProducts(manager, f32, 1, DataType.FLOAT32, false));
      report.put("products_f32_batch8_ms", timeProducts(manager, f32, 8, DataType.FLOAT32, false));
      report.put("products_f32_linear_batch1_ms", timeProducts(manager, outIn, 1, DataType.FLOAT32, true));
      report.put("products_f32_linear_batch8_ms", timeProducts(manager, outIn, 8, DataType.FLOAT32, true));
      report.put("products_f16_batch1_ms", timeProducts(manager, f16, 1, DataType.FLOAT16, false));
      double perCall = timeSmallCalls(manager, c.hiddenSize(), callsPerStep);
      report.put("small_call_us", GenerateBench.round(perCall * 1000));
      report.put("small_calls_per_step", callsPerStep - f32.length);
      report.put("small_calls_ms", GenerateBench.round(perCall * (callsPerStep - f32.length)));
    }
    System.out.print(CanonicalJson.string(report));
  }

  /** Per step, in order: per layer Wqkv [d, 3a], Wo [a, d], W13 [d, 2f], W2 [f, d]; then E^T [d, v]. */
  private static NDArray[] weights(NDManager m, ModelConfig c, DataType type) {
    int d = c.hiddenSize();
    int a = c.attentionWidth();
    int f = c.ffnHiddenSize();
    NDArray[] out = new NDArray[4 * c.nLayers() + 1];
    Random random = new Random(7);
    IntFunction<float[]> noise = n -> {
      float[] x = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] = (float) (random.nextGaussian() * 0.02);
      }
      return x;
    };
    for (int l = 0; l < c.nLayers(); l++) {
      out[4 * l] = m.create(noise.apply(d * 3 * a), new Shape(d, 3L * a)).toType(type, false);
      out[4 * l + 1] = m.create(noise.apply(a * d), new Shape(a, d)).toType(type, false);
      out[4 * l + 2] = m.create(noise.apply(d * 2 * f), new Shape(d, 2L * f)).toType(type, false);
      out[4 * l + 3] = m.create(noise.apply(f * d), new Shape(f, d)).toType(type, false);
    }
    out[out.length - 1] = m.create(noise.apply(d * c.vocabSize()), new Shape(d, c.vocabSize())).toType(type, false);
    return out;
  }

  private static long bytes(NDArray[] ws) {
    return Arrays.stream(ws).mapToLong(w -> w.size() * w.getDataType().getNumOfBytes()).sum();
  }

  /** torch.nn.functional.linear: x . w^T with w kept as the checkpoint stores it, [out, in]. */
  private static NDArray linear(NDArray x, NDArray w) {
    return x.getNDArrayInternal().linear(x, w, null).singletonOrThrow();
  }

  /**
   * Median ms of one pass over every product of a step, each fed a fresh [rows, 1, in] input;
   * weights are [in, out] for {@code matMul}, or [out, in] ({@code outIn}) for {@code linear}.
   */
  private static double timeProducts(
      NDManager manager, NDArray[] ws, int rows, DataType type, boolean outIn) {
    BinaryOperator<NDArray> product = outIn ? StepProfile::linear : NDArray::matMul;
    double[] ms = new double[REPEATS];
    for (int r = -20; r < REPEATS; r++) {
      try (NDManager scratch = manager.newSubManager()) {
        NDArray[] inputs = new NDArray[ws.length];
        for (int i = 0; i < ws.length; i++) {
          long in = ws[i].getShape().get(outIn ? 1 : 0);
          inputs[i] = scratch.randomNormal(new Shape(rows, 1, in)).toType(type, false);
        }
        long start = System.nanoTime();
        for (int i = 0; i < ws.length; i++) {
          product.apply(inputs[i], ws[i]);
        }
        if (r >= 0) {
          ms[r] = (System.nanoTime() - start) / 1e6;
        }
      }
    }
    return median(ms);
  }

  /** Median ms of one small element-wise call on a [1, 1, d] tensor, as most of a step's calls are. */
  private static double timeSmallCalls(NDManager manager, int d, int calls) {
    double[] ms = new double[REPEATS];
    for (int r = -20; r < REPEATS; r++) {
      try (NDManager scratch = manager.newSubManager()) {
        NDArray x = scratch.randomNormal(new Shape(1, 1, d));
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          x = x.mul(1.0001f);
        }
        if (r >= 0) {
          ms[r] = (System.nanoTime() - start) / 1e6 / calls;
        }
      }
    }
    return median(ms);
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return GenerateBench.round(s[s.length / 2]);
  }
}
