package io.m31r.release.model.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.config.WeightLayout;
import io.m31r.release.model.safetensors.SafetensorsFile;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

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
 * own sub-manager and frees everything but the cache and the returned Java arrays. The layers run
 * through {@link FusedDecoder} (fused projections, KV cache written in place); the trainer runs
 * the same arithmetic through {@link DecoderMath}.
 */
public final class M31rTransformer implements AutoCloseable {
  private final ModelConfig config;
  private final RuntimeOptions options;
  private final NDManager manager;
  /** Host copy: embedding lookup is a row copy in Java, cheaper than a gather round trip. */
  private final float[] embedding;
  private final NDArray embeddingT;
  private final FusedLayerWeights[] layers;
  private final NDArray finalNorm;
  private final RotaryEmbedding rope;
  private final DecoderMath math;
  private final FusedDecoder decoder;
  /** Native tensors the last step created: each is at least one JNI crossing (see {@link #tensorsLastStep}). */
  private final AtomicInteger tensorsLastStep = new AtomicInteger();

  private M31rTransformer(
      ModelConfig config, RuntimeOptions options, NDManager manager, float[] embedding,
      NDArray embeddingT, FusedLayerWeights[] layers, NDArray finalNorm, RotaryEmbedding rope) {
    this.config = config;
    this.options = options;
    this.manager = manager;
    this.embedding = embedding;
    this.embeddingT = embeddingT;
    this.layers = layers;
    this.finalNorm = finalNorm;
    this.rope = rope;
    this.math = new DecoderMath(config, options.precision().dataType(), rope);
    this.decoder = new FusedDecoder(config, math);
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
      FusedLayerWeights[] layers = new FusedLayerWeights[config.nLayers()];
      for (int i = 0; i < layers.length; i++) {
        float[] wqkv = Matrices.concatColumns(d,
            transposed(file, WeightLayout.layer(i, "attention.wq.weight"), a, d),
            transposed(file, WeightLayout.layer(i, "attention.wk.weight"), a, d),
            transposed(file, WeightLayout.layer(i, "attention.wv.weight"), a, d));
        float[] w13 = Matrices.concatColumns(d,
            transposed(file, WeightLayout.layer(i, "feed_forward.w1.weight"), f, d),
            transposed(file, WeightLayout.layer(i, "feed_forward.w3.weight"), f, d));
        layers[i] =
            new FusedLayerWeights(
                norm(manager, file, WeightLayout.layer(i, "attention_norm.weight")),
                manager.create(wqkv, new Shape(d, 3L * a)).toType(dtype, false),
                linear(manager, file, WeightLayout.layer(i, "attention.wo.weight"), d, a, dtype),
                norm(manager, file, WeightLayout.layer(i, "ffn_norm.weight")),
                manager.create(w13, new Shape(d, 2L * f)).toType(dtype, false),
                linear(manager, file, WeightLayout.layer(i, "feed_forward.w2.weight"), d, f, dtype));
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

  /** A checkpoint matrix [out, in] as [in, out], row-major. */
  private static float[] transposed(SafetensorsFile file, String name, int out, int in) {
    return Matrices.transpose(file.readFloats(name), out, in);
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
    return new KvCache(manager, config.nLayers(), batch, config.contextLength());
  }

  /**
   * Runs the new tokens of every sequence (all rows the same length) after what the cache holds,
   * appends their keys and values to the cache, and returns each row's logits at its last position.
   */
  public float[][] step(int[][] tokens, KvCache cache) {
    checkBatch(tokens, cache);
    try (NDManager scratch = manager.newSubManager()) {
      float[] flat = toHost(lastLogits(scratch, tokens, cache));
      countTensors(scratch);
      return rows(flat, tokens.length, config.vocabSize());
    }
  }

  /**
   * As {@link #step}, but returns each row's greedy next token instead of its logits: the arg max
   * over ids below {@code allowed}, the lowest id among equal maxima (as {@code TokenSampler} and
   * torch.argmax pick), computed by the engine; only one id and one logit per row are copied back.
   *
   * @throws NonFiniteLogitsException when a row's largest candidate logit is NaN (exit 2: the
   *     weights give it on every run, a retry cannot help)
   */
  public int[] stepGreedy(int[][] tokens, KvCache cache, int allowed) {
    checkBatch(tokens, cache);
    checkAllowed(allowed);
    try (NDManager scratch = manager.newSubManager()) {
      NDArray logits = candidates(lastLogits(scratch, tokens, cache), allowed);
      // max propagates NaN, so one float per row tells whether any candidate logit is NaN.
      float[] max = toHost(logits.max(new int[] {-1}));
      long[] ids = logits.argMax(-1).toDevice(Device.cpu(), false).toLongArray();
      countTensors(scratch);
      int[] out = new int[ids.length];
      for (int r = 0; r < out.length; r++) {
        if (Float.isNaN(max[r])) {
          throw new NonFiniteLogitsException("the model produced a NaN logit (token " + ids[r] + "): its weights are unusable");
        }
        out[r] = (int) ids[r];
      }
      return out;
    }
  }

  /**
   * As {@link #step}, but returns only the {@code k} largest logits of each row among ids below
   * {@code allowed}, selected by the engine, so that top-k sampling copies k values per row to the
   * host instead of the whole vocabulary. The candidates are ordered as {@code TokenSampler} orders
   * them (logit descending, ties by lower id); a row whose k-th and (k+1)-th logits are equal
   * (the engine may break that tie differently) comes back with all its logits instead.
   */
  public TopK[] stepTopK(int[][] tokens, KvCache cache, int allowed, int k) {
    checkBatch(tokens, cache);
    checkAllowed(allowed);
    if (k < 1) {
      throw new IllegalArgumentException("k must be positive: " + k);
    }
    try (NDManager scratch = manager.newSubManager()) {
      NDArray logits = candidates(lastLogits(scratch, tokens, cache), allowed);
      int n = Math.min(allowed, config.vocabSize());
      int take = Math.min(n, k + 1);
      NDList top = logits.topK(take, -1, true, true);
      float[] values = toHost(top.get(0));
      long[] ids = top.get(1).toDevice(Device.cpu(), false).toLongArray();
      TopK[] out = new TopK[tokens.length];
      float[] full = null;
      for (int r = 0; r < out.length; r++) {
        int kept = Math.min(k, n);
        boolean tieAtCut = take > kept && values[r * take + kept - 1] == values[r * take + kept];
        boolean nan = false;
        for (int j = 0; j < take; j++) {
          nan |= Float.isNaN(values[r * take + j]);
        }
        if (tieAtCut || nan) {
          if (full == null) {
            full = toHost(logits);
          }
          out[r] = TopK.all(Arrays.copyOfRange(full, r * n, (r + 1) * n));
        } else {
          out[r] = TopK.of(Arrays.copyOfRange(values, r * take, r * take + kept), Arrays.copyOfRange(ids, r * take, r * take + kept));
        }
      }
      countTensors(scratch);
      return out;
    }
  }

  /**
   * Native tensors (engine calls that create one) of the last {@link #step}, {@link #stepGreedy} or
   * {@link #stepTopK} call of any thread: each is at least one JNI crossing, so this is a lower bound
   * of the crossings per step; calls that create no tensor (shape queries, in-place writes) are not
   * counted.
   */
  public int tensorsLastStep() {
    return tensorsLastStep.get();
  }

  private void countTensors(NDManager scratch) {
    tensorsLastStep.set(((ai.djl.ndarray.BaseNDManager) scratch).getManagedArrays().size());
  }

  private void checkBatch(int[][] tokens, KvCache cache) {
    if (tokens.length != cache.batch()) {
      throw new IllegalArgumentException(tokens.length + " rows for a cache of batch " + cache.batch());
    }
  }

  private static void checkAllowed(int allowed) {
    if (allowed < 1) {
      throw new IllegalArgumentException("no token may be sampled");
    }
  }

  /** Logits [batch, vocab] at each row's last new position, on the model's device. */
  private NDArray lastLogits(NDManager scratch, int[][] tokens, KvCache cache) {
    NDArray h = hidden(scratch, tokens, cache);
    NDArray last = h.get(new NDIndex(":, {}", tokens[0].length - 1));
    return math.rms(last, finalNorm).matMul(embeddingT).toType(DataType.FLOAT32, false);
  }

  /** The columns of ids below {@code allowed}: model rows past the tokenizer's vocabulary are untrained. */
  private NDArray candidates(NDArray logits, int allowed) {
    return allowed >= config.vocabSize() ? logits : logits.get(new NDIndex(":, :{}", allowed));
  }

  private static float[] toHost(NDArray a) {
    // Explicitly to the host: sampling happens in Java whatever device ran the pass.
    return a.toDevice(Device.cpu(), false).toFloatArray();
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
    return toHost(math.rms(h, finalNorm).matMul(embeddingT).toType(DataType.FLOAT32, false));
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
    RotaryEmbedding.Window window = rope.window(scratch, pos0, t, math.dtype());
    for (int i = 0; i < layers.length; i++) {
      h = decoder.layer(layers[i], i, h, mask, cache, window);
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
