package io.m31r.release.model.training;

import java.util.List;

/**
 * What a training run produced, besides the checkpoint: the loss of every step (mean next-token
 * cross-entropy of that step's batch, before its update) and the run's shape.
 */
public record TrainingResult(int steps, long parameters, long corpusTokens, int threads, List<Float> losses) {
  public TrainingResult {
    losses = List.copyOf(losses);
  }

  public float finalLoss() {
    return losses.get(losses.size() - 1);
  }
}
