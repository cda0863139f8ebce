package io.m31r.release.model.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from float logits in plain Java, so that a seed gives the same tokens on
 * every platform and device (GPU sampling kernels are not reproducible across hardware). Only ids
 * below {@code allowed} are candidates: model rows past the tokenizer's vocabulary are untrained.
 */
public final class TokenSampler {
  private final SamplingParams params;

  public TokenSampler(SamplingParams params) {
    this.params = params;
  }

  public int next(float[] logits, int allowed, SplittableRandom random) {
    int n = Math.min(allowed, logits.length);
    if (n < 1) {
      throw new IllegalArgumentException("no token may be sampled");
    }
    for (int i = 0; i < n; i++) {
      if (Float.isNaN(logits[i])) {
        throw new NonFiniteLogitsException("the model produced a NaN logit (token " + i + "): its weights are unusable");
      }
    }
    if (params.greedy()) {
      return argmax(logits, n);
    }
    Integer[] order = candidates(logits, n);
    int kept = order.length;
    if (params.topK() > 0) {
      kept = Math.min(kept, params.topK());
    }
    double max = logits[order[0]] / params.temperature();
    double[] weights = new double[kept];
    double total = 0;
    for (int r = 0; r < kept; r++) {
      // StrictMath: a seeded sample must pick the same token whether or not the JIT has run yet.
      weights[r] = StrictMath.exp(logits[order[r]] / params.temperature() - max);
      total += weights[r];
    }
    if (params.topP() < 1) {
      double cumulative = 0;
      int cut = kept;
      for (int r = 0; r < kept; r++) {
        cumulative += weights[r] / total;
        // Keep the smallest prefix whose mass reaches top-p; the top token always stays.
        if (cumulative >= params.topP()) {
          cut = r + 1;
          break;
        }
      }
      kept = cut;
      total = 0;
      for (int r = 0; r < kept; r++) {
        total += weights[r];
      }
    }
    double target = random.nextDouble() * total;
    double cumulative = 0;
    for (int r = 0; r < kept; r++) {
      cumulative += weights[r];
      if (target < cumulative) {
        return order[r];
      }
    }
    return order[kept - 1];
  }

  /** The lowest index among the largest logits, as torch.argmax gives on CPU. */
  static int argmax(float[] logits, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Ids by logit, largest first, ties by lower id: a total order, so top-k is deterministic. */
  private static Integer[] candidates(float[] logits, int n) {
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> {
      int c = Float.compare(logits[b], logits[a]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    return order;
  }
}
