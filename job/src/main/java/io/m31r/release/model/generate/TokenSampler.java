package io.m31r.release.model.generate;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.model.runtime.NonFiniteLogitsException;
import io.m31r.release.model.runtime.TopK;
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
    float[] sorted = new float[kept];
    long[] ids = new long[kept];
    for (int r = 0; r < kept; r++) {
      sorted[r] = logits[order[r]];
      ids[r] = order[r];
    }
    return pick(sorted, ids, random);
  }

  /**
   * The next token from the engine's top-k candidates of a row ({@code M31rTransformer.stepTopK}
   * with this sampler's k): the same token {@link #next(float[], int, SplittableRandom)} picks from
   * the whole row, for the same random state.
   */
  public int next(TopK candidates, int allowed, SplittableRandom random) {
    if (candidates.complete()) {
      return next(candidates.logits(), allowed, random);
    }
    if (params.greedy() || params.topK() < 1 || candidates.ids().length > params.topK()) {
      throw new IllegalArgumentException("top-" + candidates.ids().length + " candidates for sampling " + params);
    }
    return pick(candidates.logits(), candidates.ids(), random);
  }

  /** Temperature, top-p and the draw over candidates already ordered and cut to top-k. */
  private int pick(float[] sorted, long[] ids, SplittableRandom random) {
    int kept = sorted.length;
    double max = sorted[0] / params.temperature();
    double[] weights = new double[kept];
    double total = 0;
    for (int r = 0; r < kept; r++) {
      // StrictMath: a seeded sample must pick the same token whether or not the JIT has run yet.
      weights[r] = StrictMath.exp(sorted[r] / params.temperature() - max);
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
        return (int) ids[r];
      }
    }
    return (int) ids[kept - 1];
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
