package io.m31r.release.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Arrays in memory libtorch allocated and owns, for whatever autograd may keep.
 *
 * <p>DJL's {@code create(float[])} and every {@code op(Number)} wrap the memory of a Java direct
 * buffer ({@code torch::from_blob}), which the JVM frees once the buffer's wrapper is collected.
 * {@code x.mul(2f)} creates such a scalar, multiplies, and closes the scalar at once; autograd
 * however keeps the scalar to compute the product's gradient, and the backward pass then reads
 * memory the JVM may have freed and reused in between. Which of the two happens depends on when
 * the garbage collector runs: it made the same training give other weights in about one run in
 * ten under load (docs/rebuild.md), and it gives any value at all once the memory is reused
 * ({@code OwnedArraysTest}). A sum or difference keeps no operand, so only products and quotients
 * need an owned scalar.
 */
public final class OwnedArrays {
  private OwnedArrays() {}

  /**
   * A copy of {@code javaBacked} in libtorch's own memory (64-byte aligned, which vectorised
   * kernels split their work by), closing the original.
   */
  public static NDArray copyOf(NDArray javaBacked) {
    NDArray copy = javaBacked.duplicate();
    javaBacked.close();
    return copy;
  }

  /** {@code x * s}; while autograd records, {@code s} is an owned scalar in {@code scratch}. */
  public static NDArray mul(NDManager scratch, NDArray x, float s) {
    return recording() ? x.mul(scalar(scratch, s)) : x.mul(s);
  }

  /** {@code x / s}; while autograd records, {@code s} is an owned scalar in {@code scratch}. */
  public static NDArray div(NDManager scratch, NDArray x, float s) {
    return recording() ? x.div(scalar(scratch, s)) : x.div(s);
  }

  /**
   * Whether this thread's ops are recorded for a backward pass (inside a gradient collector).
   * Not {@code x.hasGradient()}: DJL answers false for every array an op made, tracked or not.
   */
  private static boolean recording() {
    return JniUtils.isGradMode();
  }

  private static NDArray scalar(NDManager scratch, float value) {
    return copyOf(scratch.create(value));
  }
}
