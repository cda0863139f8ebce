package io.m31r.release.sample;

import io.m31r.release.failure.InfrastructureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sample workspace's config.yaml, in upstream's unified format: the architecture of the sample
 * model (its vocabulary is the trained tokenizer's), and the training settings that make it
 * memorise the corpus in a few minutes on two CPU cores. Paths are relative to the file.
 */
final class SampleTrainingConfig {
  private SampleTrainingConfig() {}

  static void write(Path file, long seed, int vocabSize) {
    String yaml =
        """
        # M31R sample model: trained by `m31r sample` on the sample corpus with DJL autograd.
        # Rebuild the model from these inputs alone:
        #   m31r sample --rebuild-model --config config.yaml --out DIR
        global:
          config_version: "1.0.0"
          project_name: "m31r-sample"
          seed: %d

        model:
          config_version: "1.0.0"
          n_layers: 2
          hidden_size: 128
          n_heads: 4
          head_dim: 32
          context_length: 128
          dropout: 0.0
          norm_eps: 1e-6
          rope_theta: 10000.0
          init_std: 0.02
          vocab_size: %d

        train:
          config_version: "1.0.0"
          batch_size: 36
          gradient_accumulation_steps: 1
          max_steps: 120
          learning_rate: 1e-2
          min_learning_rate: 1e-4
          weight_decay: 0.01
          beta1: 0.9
          beta2: 0.95
          grad_clip: 1.0
          warmup_steps: 10
          precision: "fp32"
          threads: 1
          dataset_directory: "dataset"
          tokenizer_directory: "."
        """
            .formatted(seed, vocabSize);
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new InfrastructureException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
