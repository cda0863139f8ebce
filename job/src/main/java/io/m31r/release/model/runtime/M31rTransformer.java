package io.m31r.release.model.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.config.WeightLayout;
import io.m31r.release.model.safetensors.SafetensorsFile;

/**
 * The M31R decoder forward pass written with DJL NDArray operations on the PyTorch engine (DJL's
 * PyTorch engine only runs TorchScript, not safetensors checkpoints, so the graph is spelled out):
 *
 * <pre>
 * h = E[tokens]
 * per layer: h += Wo . Attn(RoPE(Wq . rms(h)), RoPE(Wk . rms(h)), Wv . rms(h))
 *            h += W2 . (silu(W1 . rms(h)) * (W3 . rms(h)))
 * logits = rms(h) . E^T        (output head tied to the embedding)
 * </pre>
 *
 * Weights are read-only after load, so one instance serves many threads; each call works in its
 * own sub-manager and frees everything but the cache and the returned Java arrays.
 */
public final class M31rTransformer implements AutoCloseable {
  private final ModelConfig config;
  private final RuntimeOptions options;
  private final NDManager manager;
  /** Host copy: embedding lookup is a row copy in Java, cheaper than a gather round trip. */
  private final float[] embedding;
  private final NDArray embeddingT;
  private final LayerWeights[] layers;
  private final NDArray finalNorm;
  private final RotaryEmbedding rope;
  private final DecoderMath math;

  private M31rTransformer(
      ModelConfig config, RuntimeOptions options, NDManager manager, float[] embedding,
      NDArray embeddingT, LayerWeights[] layers, NDArray finalNorm, RotaryEmbedding rope) {
    this.config = config;
    this.options = options;
    this.manager = manager;
    this.embedding = embedding;
    this.embeddingT = embeddingT;
    this.layers = layers;
    this.finalNorm = finalNorm;
    this.rope = rope;
    this.math = new DecoderMath(config, options.precision().dataType(), rope);
  }

  /** Loads weights whose names and shapes were already checked with {@link WeightLayout#check}. */
  public static M31rTransformer load(ModelConfig config, SafetensorsFile file, RuntimeOptions options) {
    Engine engine = DjlSetup.pytorch();
    if (options.device().gpu() && engine.getGpuCount() <= options.device().index()) {
      throw new BadInputException(
          "device " + options.device() + " requested but the PyTorch engine sees "
              + engine.getGpuCount() + " GPU(s)");
    }
    NDManager manager = engine.newBaseManager(options.device().toDjl());
    try {
      DataType dtype = options.precision().dataType();
      int d = config.hiddenSize();
      int a = config.attentionWidth();
      int f = config.ffnHiddenSize();
      int v = config.vocabSize();
      float[] embedding = file.readFloats(WeightLayout.EMBEDDING);
      NDArray embeddingT =
          manager.create(Matrices.transpose(embedding, v, d), new Shape(d, v)).toType(dtype, false);
      LayerWeights[] layers = new LayerWeights[config.nLayers()];
      for (int i = 0; i < layers.length; i++) {
        layers[i] =
            new LayerWeights(
                norm(manager, file, WeightLayout.layer(i, "attention_norm.weight")),
                linear(manager, file, WeightLayout.layer(i, "attention.wq.weight"), a, d, dtype),
                linear(manager, file, WeightLayout.layer(i, "attention.wk.weight"), a, d, dtype),
                linear(manager, file, WeightLayout.layer(i, "attention.wv.weight"), a, d, dtype),
                linear(manager, file, WeightLayout.layer(i, "attention.wo.weight"), d, a, dtype),
                norm(manager, file, WeightLayout.layer(i, "ffn_norm.weight")),
                linear(manager, file, WeightLayout.layer(i, "feed_forward.w1.weight"), f, d, dtype),
                linear(manager, file, WeightLayout.layer(i, "feed_forward.w2.weight"), d, f, dtype),
                linear(manager, file, WeightLayout.layer(i, "feed_forward.w3.weight"), f, d, dtype));
      }
      NDArray finalNorm = norm(manager, file, WeightLayout.FINAL_NORM);
      RotaryEmbedding rope =
          new RotaryEmbedding(manager, config.headDim(), config.contextLength(), config.ropeTheta());
      return new M31rTransformer(config, options, manager, embedding, embeddingT, layers, finalNorm, rope);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Norm weights stay fp32 in every precision: the normalisation itself is computed in fp32. */
  private static NDArray norm(NDManager manager, SafetensorsFile file, String name) {
    float[] w = file.readFloats(name);
    return manager.create(w, new Shape(w.length));
  }

  private static NDArray linear(
      NDManager manager, SafetensorsFile file, String name, int out, int in, DataType dtype) {
    return manager.create(Matrices.transpose(file.readFloats(name), out, in), new Shape(in, out)).toType(dtype, false);
  }

  public ModelConfig config() {
    return config;
  }

  public RuntimeOptions options() {
    return options;
  }

  public KvCache newCache(int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be positive: " + batch);
    }
    return new KvCache(manager, config.nLayers(), batch);
  }

  /**
   * Runs the new tokens of every sequence (all rows the same length) after what the cache holds,
   * appends their keys and values to the cache, and returns each row's logits at its last position.
   */
  public float[][] step(int[][] tokens, KvCache cache) {
    if (tokens.length != cache.batch()) {
      throw new IllegalArgumentException(tokens.length + " rows for a cache of batch " + cache.batch());
    }
    try (NDManager scratch = manager.newSubManager()) {
      NDArray h = hidden(scratch, tokens, cache);
      NDArray last = h.get(new NDIndex(":, {}", tokens[0].length - 1));
      return rows(logits(last), tokens.length, config.vocabSize());
    }
  }

  /** Logits at every position of every row, computed from scratch: [batch][time][vocab]. */
  public float[][][] logitsAll(int[][] tokens) {
    try (NDManager scratch = manager.newSubManager()) {
      NDArray h = hidden(scratch, tokens, null);
      float[] flat = logits(h);
      int b = tokens.length;
      int t = tokens[0].length;
      int v = config.vocabSize();
      float[][][] out = new float[b][t][v];
      for (int r = 0; r < b; r++) {
        for (int i = 0; i < t; i++) {
          System.arraycopy(flat, (r * t + i) * v, out[r][i], 0, v);
        }
      }
      return out;
    }
  }

  private float[] logits(NDArray h) {
    // Explicitly to the host: sampling happens in Java whatever device ran the pass.
    return math.rms(h, finalNorm)
        .matMul(embeddingT)
        .toType(DataType.FLOAT32, false)
        .toDevice(Device.cpu(), false)
        .toFloatArray();
  }

  private static float[][] rows(float[] flat, int batch, int width) {
    float[][] out = new float[batch][width];
    for (int r = 0; r < batch; r++) {
      System.arraycopy(flat, r * width, out[r], 0, width);
    }
    return out;
  }

  private NDArray hidden(NDManager scratch, int[][] tokens, KvCache cache) {
    int b = tokens.length;
    int t = b == 0 ? 0 : tokens[0].length;
    int pos0 = cache == null ? 0 : cache.length();
    if (b == 0 || t == 0) {
      throw new IllegalArgumentException("no tokens to run");
    }
    if (pos0 + t > config.contextLength()) {
      throw new BadInputException(
          "sequence of " + (pos0 + t) + " tokens exceeds the model's context window of "
              + config.contextLength());
    }
    int d = config.hiddenSize();
    float[] x = new float[b * t * d];
    for (int r = 0; r < b; r++) {
      if (tokens[r].length != t) {
        throw new IllegalArgumentException("all rows of a batch must have the same length");
      }
      for (int i = 0; i < t; i++) {
        int id = tokens[r][i];
        if (id < 0 || id >= config.vocabSize()) {
          throw new IllegalArgumentException("token id " + id + " outside the model vocabulary");
        }
        System.arraycopy(embedding, id * d, x, (r * t + i) * d, d);
      }
    }
    NDArray h = scratch.create(x, new Shape(b, t, d)).toType(math.dtype(), false);
    NDArray mask = t > 1 ? DecoderMath.causalMask(scratch, pos0, t) : null;
    for (int i = 0; i < layers.length; i++) {
      h = math.layer(scratch, layers[i], i, h, pos0, mask, cache);
    }
    if (cache != null) {
      cache.advance(t);
    }
    return h;
  }

  @Override
  public void close() {
    manager.close();
  }
}
