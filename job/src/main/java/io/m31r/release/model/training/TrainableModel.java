package io.m31r.release.model.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.config.WeightLayout;
import io.m31r.release.model.runtime.DecoderMath;
import io.m31r.release.model.runtime.LayerWeights;
import io.m31r.release.model.runtime.Matrices;
import io.m31r.release.model.runtime.OwnedArrays;
import io.m31r.release.model.runtime.RotaryEmbedding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The M31R weights being trained and the training forward pass. The layers run through
 * {@link DecoderMath}, the same code the runtime decodes with; only the embedding differs: a
 * one-hot matrix product instead of a row gather, because its gradient is then a plain matrix
 * product too (a scatter-add's accumulation order could vary between runs).
 */
final class TrainableModel implements AutoCloseable {
  private final ModelConfig config;
  private final NDManager manager;
  private final List<Parameter> params;
  private final DecoderMath math;
  private final RotaryEmbedding rope;

  private TrainableModel(ModelConfig config, NDManager manager, List<Parameter> params, RotaryEmbedding rope) {
    this.config = config;
    this.manager = manager;
    this.params = params;
    this.rope = rope;
    this.math = new DecoderMath(config, ai.djl.ndarray.types.DataType.FLOAT32, rope);
  }

  /**
   * Upstream's initialisation: N(0, init_std) for the embedding and every linear weight, ones for
   * norm gains. Each tensor draws from its own {@link Random} seeded by (seed, tensor index), whose
   * Gaussian sequence the Java specification fixes, so the start point is the same on every JVM.
   */
  static TrainableModel initialise(NDManager manager, ModelConfig config, long seed) {
    List<Parameter> params = new ArrayList<>();
    int index = 0;
    for (Map.Entry<String, long[]> e : WeightLayout.required(config).entrySet()) {
      long[] shape = e.getValue();
      boolean matrix = shape.length == 2;
      int n = Math.toIntExact(matrix ? shape[0] * shape[1] : shape[0]);
      float[] values = new float[n];
      if (matrix) {
        Random random = new Random(seed * 1_000_003L + index);
        for (int i = 0; i < n; i++) {
          values[i] = (float) (config.initStd() * random.nextGaussian());
        }
      } else {
        java.util.Arrays.fill(values, 1f);
      }
      // The embedding is used as stored ([V, d]: one-hot . E and h . E^T); linears as [in, out].
      boolean transposed = matrix && !e.getKey().equals(WeightLayout.EMBEDDING);
      NDArray value =
          OwnedArrays.copyOf(
              transposed
                  ? manager.create(Matrices.transpose(values, (int) shape[0], (int) shape[1]), new Shape(shape[1], shape[0]))
                  : manager.create(values, new Shape(shape)));
      params.add(new Parameter(e.getKey(), shape, transposed, matrix, value));
      index++;
    }
    RotaryEmbedding rope = new RotaryEmbedding(manager, config.headDim(), config.contextLength(), config.ropeTheta());
    return new TrainableModel(config, manager, List.copyOf(params), rope);
  }

  List<Parameter> parameters() {
    return params;
  }

  long parameterCount() {
    return params.stream().mapToLong(p -> p.value().size()).sum();
  }

  /**
   * The log-probability of every next token of {@code rows}, [batch, time] (zero at padding),
   * computed with {@code weights} (copies of the parameters tracked by autograd, in parameter
   * order). Summing them to the loss is left to the caller: a full reduction is the one ATen
   * kernel whose order depends on the thread count, so the caller sums in a fixed order itself.
   */
  NDArray tokenLogProbs(NDManager scratch, List<int[]> rows, NDArray[] weights) {
    int b = rows.size();
    int t = rows.stream().mapToInt(r -> r.length - 1).max().orElseThrow();
    int v = config.vocabSize();
    float[] inputs = new float[b * t * v];
    float[] targets = new float[b * t * v];
    for (int r = 0; r < b; r++) {
      int[] row = rows.get(r);
      for (int i = 0; i + 1 < row.length; i++) {
        inputs[(r * t + i) * v + row[i]] = 1f;
        targets[(r * t + i) * v + row[i + 1]] = 1f;
      }
    }
    int k = 0;
    NDArray embedding = weights[k++];
    NDArray h = OwnedArrays.copyOf(scratch.create(inputs, new Shape(b, t, v))).matMul(embedding);
    NDArray mask = t > 1 ? DecoderMath.causalMask(scratch, 0, t) : null;
    for (int layer = 0; layer < config.nLayers(); layer++) {
      LayerWeights w =
          new LayerWeights(
              weights[k], weights[k + 1], weights[k + 2], weights[k + 3], weights[k + 4],
              weights[k + 5], weights[k + 6], weights[k + 7], weights[k + 8]);
      k += 9;
      h = math.layer(scratch, w, layer, h, 0, mask, null);
    }
    NDArray finalNorm = weights[k];
    NDArray logProbs = math.rms(h, finalNorm).matMul(embedding.transpose()).logSoftmax(-1);
    // Padding rows of the target one-hot are all zero, so they pick 0. A sum over the last axis
    // gives each output to one thread, which adds that row in the same order at any thread count.
    return logProbs.mul(OwnedArrays.copyOf(scratch.create(targets, new Shape(b, t, v)))).sum(new int[] {-1});
  }

  /** How many next tokens {@code rows} predict (the positions that are not padding). */
  static int predictions(List<int[]> rows) {
    return rows.stream().mapToInt(r -> r.length - 1).sum();
  }

  /** The trained values in checkpoint layout, in {@link WeightLayout#required} order. */
  Map<String, float[]> checkpointTensors() {
    Map<String, float[]> out = new java.util.LinkedHashMap<>();
    for (Parameter p : params) {
      float[] values = p.value().toFloatArray();
      out.put(p.name(), p.transposed() ? Matrices.transpose(values, (int) p.checkpointShape()[1], (int) p.checkpointShape()[0]) : values);
    }
    return out;
  }

  @Override
  public void close() {
    rope.close();
  }
}
