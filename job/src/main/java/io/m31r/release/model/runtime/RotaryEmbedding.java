package io.m31r.release.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Interleaved-pair rotary position embedding, the original RoPE form upstream uses (not the
 * "rotate_half" form, which gives plausible but different text): within each head, the pair
 * {@code (x[2j], x[2j+1])} is rotated by {@code pos * theta^(-2j/hd)}.
 */
public final class RotaryEmbedding implements AutoCloseable {
  private final NDArray cos;
  private final NDArray sin;
  private final int headDim;
  private final int maxPositions;

  /** Tables are computed in double and rounded once, so they do not drift with position. */
  public RotaryEmbedding(NDManager manager, int headDim, int maxPositions, double theta) {
    int half = headDim / 2;
    float[] c = new float[maxPositions * half];
    float[] s = new float[maxPositions * half];
    for (int pos = 0; pos < maxPositions; pos++) {
      for (int j = 0; j < half; j++) {
        // StrictMath: Math's intrinsics may round differently once the JIT compiles this loop,
        // and when that happens depends on timing; the tables must be the same on every run.
        double angle = pos * StrictMath.pow(theta, -2.0 * j / headDim);
        c[pos * half + j] = (float) StrictMath.cos(angle);
        s[pos * half + j] = (float) StrictMath.sin(angle);
      }
    }
    this.cos = manager.create(c, new Shape(maxPositions, 1, half));
    this.sin = manager.create(s, new Shape(maxPositions, 1, half));
    this.headDim = headDim;
    this.maxPositions = maxPositions;
  }

  /**
   * Rotates {@code x} of shape [batch, time, heads, headDim] whose first position is {@code pos0};
   * every intermediate lands in {@code scratch}.
   */
  public NDArray apply(NDManager scratch, NDArray x, int pos0) {
    return window(scratch, pos0, x.getShape().get(1), x.getDataType()).apply(x);
  }

  /** The tables of positions {@code pos0 .. pos0 + time}, taken once per step for every layer. */
  public Window window(NDManager scratch, int pos0, long time, ai.djl.ndarray.types.DataType type) {
    if (pos0 < 0 || pos0 + time > maxPositions) {
      throw new IllegalArgumentException("positions " + pos0 + ".." + (pos0 + time) + " beyond " + maxPositions);
    }
    NDIndex window = new NDIndex("{}:{}", pos0, pos0 + time);
    return new Window(cos.get(scratch, window).toType(type, false), sin.get(scratch, window).toType(type, false), headDim);
  }

  /** Cos and sin of a run of positions, [time, 1, headDim / 2]. */
  public record Window(NDArray cos, NDArray sin, int headDim) {
    /** Rotates {@code x} of shape [batch, time, heads, headDim] (any number of heads). */
    public NDArray apply(NDArray x) {
      Shape shape = x.getShape();
      NDArray pairs = x.reshape(shape.get(0), shape.get(1), shape.get(2), headDim / 2, 2);
      NDArray even = pairs.get(new NDIndex("..., 0"));
      NDArray odd = pairs.get(new NDIndex("..., 1"));
      NDArray rotatedEven = even.mul(cos).sub(odd.mul(sin));
      NDArray rotatedOdd = even.mul(sin).add(odd.mul(cos));
      return rotatedEven.stack(rotatedOdd, -1).reshape(shape);
    }
  }

  @Override
  public void close() {
    new NDList(cos, sin).close();
  }
}
