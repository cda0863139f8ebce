package io.m31r.release.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values already computed for a batch of sequences, per layer, shaped
 * [batch, heads, length, headDim], so that a decoding step only runs the new token. All sequences
 * in a cache have the same length: batched decoding advances them together. Not thread-safe; one
 * cache belongs to one generation.
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private final int batch;
  private int length;

  KvCache(NDManager parent, int layers, int batch) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
    this.batch = batch;
  }

  public int length() {
    return length;
  }

  public int batch() {
    return batch;
  }

  /** Appends this step's keys and values for a layer; returns the full ones, owned by the cache. */
  NDArray[] append(int layer, NDArray newKeys, NDArray newValues) {
    keys[layer] = grow(keys[layer], newKeys);
    values[layer] = grow(values[layer], newValues);
    return new NDArray[] {keys[layer], values[layer]};
  }

  private NDArray grow(NDArray old, NDArray added) {
    NDArray next = old == null ? added.duplicate() : old.concat(added, 2);
    next.attach(manager);
    if (old != null) {
      old.close();
    }
    return next;
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
    KvCache out = new KvCache(manager.getParentManager(), keys.length, copies);
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
