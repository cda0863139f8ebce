package io.m31r.release.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.m31r.release.model.config.ModelConfig;

/**
 * The arithmetic of one M31R decoder layer, shared by inference ({@link M31rTransformer}, with a
 * KV cache) and by the sample trainer (no cache, weights tracked by autograd), so that the model
 * the trainer optimises is exactly the one the runtime runs.
 */
public final class DecoderMath {
  private final ModelConfig config;
  private final DataType dtype;
  private final RotaryEmbedding rope;
  private final float attentionScale;

  public DecoderMath(ModelConfig config, DataType dtype, RotaryEmbedding rope) {
    this.config = config;
    this.dtype = dtype;
    this.rope = rope;
    this.attentionScale = (float) (1.0 / Math.sqrt(config.headDim()));
  }

  public DataType dtype() {
    return dtype;
  }

  /**
   * {@code h + attention(rms(h))}, then {@code + ffn(rms(.))}: one layer over [batch, time, d]
   * whose first position is {@code pos0}. With a cache, the new keys and values are appended to
   * layer {@code index} of it (the caller advances the cache once all layers ran).
   */
  public NDArray layer(
      NDManager scratch, LayerWeights w, int index, NDArray h, int pos0, NDArray mask, KvCache cache) {
    NDArray out = h.add(attention(scratch, w, index, rms(h, w.attentionNorm()), pos0, mask, cache));
    NDArray normed = rms(out, w.ffnNorm());
    NDArray gate = normed.matMul(w.w1());
    NDArray up = normed.matMul(w.w3());
    NDArray silu = gate.mul(gate.getNDArrayInternal().sigmoid());
    return out.add(silu.mul(up).matMul(w.w2()));
  }

  private NDArray attention(
      NDManager scratch, LayerWeights w, int index, NDArray x, int pos0, NDArray mask, KvCache cache) {
    Shape shape = x.getShape();
    long b = shape.get(0);
    long t = shape.get(1);
    int heads = config.nHeads();
    int hd = config.headDim();
    NDArray q = rope.apply(scratch, x.matMul(w.wq()).reshape(b, t, heads, hd), pos0);
    NDArray k = rope.apply(scratch, x.matMul(w.wk()).reshape(b, t, heads, hd), pos0);
    NDArray v = x.matMul(w.wv()).reshape(b, t, heads, hd);
    q = q.transpose(0, 2, 1, 3);
    k = k.transpose(0, 2, 1, 3);
    v = v.transpose(0, 2, 1, 3);
    if (cache != null) {
      NDArray[] kv = cache.append(index, k, v);
      k = kv[0];
      v = kv[1];
    }
    // Ops on cache-owned arrays would land in the cache's manager; move the results to scratch.
    NDArray keysT = k.transpose(0, 1, 3, 2);
    keysT.attach(scratch);
    NDArray scores = OwnedArrays.mul(scratch, q.matMul(keysT).toType(DataType.FLOAT32, false), attentionScale);
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray probs = scores.softmax(-1).toType(dtype, false);
    NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, (long) heads * hd);
    return context.matMul(w.wo());
  }

  /** [t, pos0 + t]: query i (at position pos0 + i) sees keys 0..pos0 + i. */
  public static NDArray causalMask(NDManager scratch, int pos0, int t) {
    int s = pos0 + t;
    float[] m = new float[t * s];
    for (int i = 0; i < t; i++) {
      for (int j = pos0 + i + 1; j < s; j++) {
        m[i * s + j] = Float.NEGATIVE_INFINITY;
      }
    }
    return scratch.create(m, new Shape(t, s));
  }

  /** rms(x; w) = x / sqrt(mean(x^2) + eps) * w, in fp32 whatever the working precision. */
  public NDArray rms(NDArray x, NDArray weight) {
    NDArray xf = x.toType(DataType.FLOAT32, false);
    NDArray meanSquare = xf.mul(xf).mean(new int[] {-1}, true);
    NDArray normed = xf.div(meanSquare.add((float) config.normEps()).sqrt()).mul(weight);
    return normed.toType(dtype, false);
  }
}
