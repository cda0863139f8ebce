package io.m31r.release.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.m31r.release.model.config.ModelConfig;

/**
 * The runtime's decoder layer: the arithmetic of {@link DecoderMath#layer} (which the trainer
 * shares and which stays as it is) with fewer engine calls, each of which is a JNI crossing and a
 * dispatch: one product for Q, K and V and one for gate and up ({@link FusedLayerWeights}), RoPE
 * applied to Q and K together with tables taken once per step, and the KV cache written in place.
 * Element-wise the same operations in the same order; only the matrix products are grouped.
 */
final class FusedDecoder {
  private final ModelConfig config;
  private final DecoderMath math;
  private final float attentionScale;

  FusedDecoder(ModelConfig config, DecoderMath math) {
    this.config = config;
    this.math = math;
    this.attentionScale = (float) (1.0 / Math.sqrt(config.headDim()));
  }

  NDArray layer(
      FusedLayerWeights w, int index, NDArray h, NDArray mask, KvCache cache, RotaryEmbedding.Window rope) {
    NDArray out = h.add(attention(w, index, math.rms(h, w.attentionNorm()), mask, cache, rope));
    NDList gateUp = math.rms(out, w.ffnNorm()).matMul(w.w13()).split(2, 2);
    NDArray gate = gateUp.get(0);
    NDArray silu = gate.mul(gate.getNDArrayInternal().sigmoid());
    return out.add(silu.mul(gateUp.get(1)).matMul(w.w2()));
  }

  private NDArray attention(
      FusedLayerWeights w, int index, NDArray x, NDArray mask, KvCache cache, RotaryEmbedding.Window rope) {
    Shape shape = x.getShape();
    long b = shape.get(0);
    long t = shape.get(1);
    int heads = config.nHeads();
    int hd = config.headDim();
    NDList qkv = x.matMul(w.wqkv()).split(new long[] {2L * heads * hd}, 2);
    // Q and K rotate as one [b, t, 2 x heads, hd] tensor: the tables broadcast over heads.
    NDList qk = rope.apply(qkv.get(0).reshape(b, t, 2L * heads, hd)).split(2, 2);
    NDArray q = qk.get(0).transpose(0, 2, 1, 3);
    NDArray k = qk.get(1).transpose(0, 2, 1, 3);
    NDArray v = qkv.get(1).reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
    if (cache != null) {
      NDArray[] kv = cache.append(index, k, v);
      k = kv[0];
      v = kv[1];
    }
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).toType(DataType.FLOAT32, false).mul(attentionScale);
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray probs = scores.softmax(-1).toType(math.dtype(), false);
    NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, (long) heads * hd);
    return context.matMul(w.wo());
  }
}
