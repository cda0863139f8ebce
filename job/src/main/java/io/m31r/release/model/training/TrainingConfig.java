package io.m31r.release.model.training;

import io.m31r.release.failure.BadInputException;

/**
 * The {@code train:} section of an M31R config.yaml (upstream's keys) plus {@code global.seed},
 * and {@code threads}, the one key of ours: libtorch's intra-op thread count, set for the run and
 * checked. The weights do not depend on it; it is taken from the config (or the rebuild's
 * {@code --threads}), never from the machine, so that a run's cost is what its author chose.
 */
public record TrainingConfig(
    long seed,
    int batchSize,
    int maxSteps,
    double learningRate,
    double minLearningRate,
    double weightDecay,
    double beta1,
    double beta2,
    double gradClip,
    int warmupSteps,
    int threads,
    String datasetDirectory,
    String tokenizerDirectory) {
  /** The file the trainer reads in {@code train.tokenizer_directory} (upstream's layout). */
  public static final String TOKENIZER_FILE = "tokenizer.json";


  public TrainingConfig {
    positive("train.batch_size", batchSize);
    positive("train.max_steps", maxSteps);
    positive("train.threads", threads);
    if (warmupSteps < 0 || warmupSteps > maxSteps) {
      throw bad("train.warmup_steps must be in [0, max_steps]: " + warmupSteps);
    }
    if (!(learningRate > 0 && learningRate < 1)) {
      throw bad("train.learning_rate must be in (0, 1): " + learningRate);
    }
    if (!(minLearningRate >= 0 && minLearningRate <= learningRate)) {
      throw bad("train.min_learning_rate must be in [0, learning_rate]: " + minLearningRate);
    }
    if (!(weightDecay >= 0 && weightDecay < 1)) {
      throw bad("train.weight_decay must be in [0, 1): " + weightDecay);
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw bad("train.beta1 and train.beta2 must be in [0, 1): " + beta1 + ", " + beta2);
    }
    if (!(gradClip > 0 && Double.isFinite(gradClip))) {
      throw bad("train.grad_clip must be a positive number: " + gradClip);
    }
    if (datasetDirectory == null || datasetDirectory.isBlank()) {
      throw bad("train.dataset_directory must be a non-empty path");
    }
    if (tokenizerDirectory == null || tokenizerDirectory.isBlank()) {
      throw bad("train.tokenizer_directory must be a non-empty path");
    }
  }

  /**
   * The same training on {@code n} libtorch threads. The weights do not depend on the count
   * (docs/rebuild.md), so a rebuild may choose it for the machine it runs on.
   */
  public TrainingConfig withThreads(int n) {
    return new TrainingConfig(seed, batchSize, maxSteps, learningRate, minLearningRate, weightDecay, beta1, beta2,
        gradClip, warmupSteps, n, datasetDirectory, tokenizerDirectory);
  }

  private static void positive(String key, int value) {
    if (value < 1) {
      throw bad(key + " must be a positive integer: " + value);
    }
  }

  private static BadInputException bad(String message) {
    return new BadInputException("config.yaml " + message);
  }
}
