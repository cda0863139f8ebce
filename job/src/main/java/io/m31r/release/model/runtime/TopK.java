package io.m31r.release.model.runtime;

/**
 * Candidate next tokens of one row: the k largest logits with their ids, largest first and ties by
 * lower id, or (when {@code ids} is null) the row's logits of every id below the allowed bound.
 */
public record TopK(float[] logits, long[] ids) {
  static TopK of(float[] logits, long[] ids) {
    // The engine orders equal logits as it likes; the sampler's order is by lower id among equals.
    Integer[] order = new Integer[logits.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> {
      int c = Float.compare(logits[b], logits[a]);
      return c != 0 ? c : Long.compare(ids[a], ids[b]);
    });
    float[] l = new float[logits.length];
    long[] d = new long[ids.length];
    for (int i = 0; i < order.length; i++) {
      l[i] = logits[order[i]];
      d[i] = ids[order[i]];
    }
    return new TopK(l, d);
  }

  static TopK all(float[] logits) {
    return new TopK(logits, null);
  }

  /** True when this row holds every candidate's logit (index = id), not only the top k. */
  public boolean complete() {
    return ids == null;
  }
}
