package io.m31r.release.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values already computed for a batch of sequences, per layer, so that a decoding step only
 * runs the new token. Each layer's keys and values live in a buffer [batch, heads, capacity,
 * headDim] that a step writes in place; the capacity doubles when full (at most to the context
 * window), so a step copies only its own positions, not the whole cache as concatenation did. All
 * sequences in a cache have the same length: batched decoding advances them together. Not
 * thread-safe; one cache belongs to one generation.
 */
public final class KvCache implements AutoCloseable {
  /** Positions of the first buffer when the prompt is shorter: a few steps before the first doubling. */
  private static final int MIN_CAPACITY = 64;

  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private final int batch;
  private final int maxLength;
  private int length;

  KvCache(NDManager parent, int layers, int batch, int maxLength) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
    this.batch = batch;
    this.maxLength = maxLength;
  }

  public int length() {
    return length;
  }

  public int batch() {
    return batch;
  }

  /** Positions the buffers hold now (for tests: the cache grows by doubling, not by step). */
  int capacity() {
    return keys[0] == null ? 0 : (int) keys[0].getShape().get(2);
  }

  /**
   * Writes this step's keys and values [batch, heads, t, headDim] of a layer in place after the
   * {@link #length()} cached positions; returns views of all {@code length + t} positions, owned by
   * the manager of {@code newKeys} (the step's scratch), so they go when the step ends.
   */
  NDArray[] append(int layer, NDArray newKeys, NDArray newValues) {
    int t = (int) newKeys.getShape().get(2);
    int end = length + t;
    keys[layer] = ensure(keys[layer], newKeys, end);
    values[layer] = ensure(values[layer], newValues, end);
    NDIndex fresh = new NDIndex(":, :, {}:{}", length, end);
    keys[layer].set(fresh, newKeys);
    values[layer].set(fresh, newValues);
    NDManager scratch = newKeys.getManager();
    NDIndex all = new NDIndex(":, :, :{}", end);
    return new NDArray[] {keys[layer].get(scratch, all), values[layer].get(scratch, all)};
  }

  /** {@code buffer}, or a larger one holding its first {@link #length} positions. */
  private NDArray ensure(NDArray buffer, NDArray like, int needed) {
    long have = buffer == null ? 0 : buffer.getShape().get(2);
    if (needed <= have) {
      return buffer;
    }
    if (needed > maxLength) {
      throw new IllegalArgumentException(needed + " positions exceed the cache's " + maxLength);
    }
    long capacity = Math.min(maxLength, Math.max(needed, Math.max(MIN_CAPACITY, 2 * have)));
    Shape s = like.getShape();
    NDArray grown = manager.zeros(new Shape(s.get(0), s.get(1), capacity, s.get(3)), like.getDataType());
    if (buffer != null) {
      if (length > 0) {
        NDIndex held = new NDIndex(":, :, :{}", length);
        try (NDArray old = buffer.get(held)) {
          grown.set(held, old);
        }
      }
      buffer.close();
    }
    return grown;
  }

  /** Called once per forward step, after every layer appended its {@code steps} positions. */
  void advance(int steps) {
    length += steps;
  }

  /** A cache for {@code copies} sequences that all continue from this one (batch must be 1). */
  public KvCache replicate(int copies) {
    if (batch != 1) {
      throw new IllegalStateException("only a single-sequence cache can be replicated");
    }
    KvCache out = new KvCache(manager.getParentManager(), keys.length, copies, maxLength);
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        out.keys[i] = keys[i].repeat(0, copies);
        out.keys[i].attach(out.manager);
        out.values[i] = values[i].repeat(0, copies);
        out.values[i].attach(out.manager);
      }
    }
    out.length = length;
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
