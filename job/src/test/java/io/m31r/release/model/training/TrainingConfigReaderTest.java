package io.m31r.release.model.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.model.testing.UpstreamModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrainingConfigReaderTest {
  static final String CONFIG =
      """
      global:
        seed: 7
      train:
        batch_size: 4
        max_steps: 20
        learning_rate: 1e-2
        min_learning_rate: 1e-4
        weight_decay: 0.01
        beta1: 0.9
        beta2: 0.95
        grad_clip: 1.0
        warmup_steps: 2
        threads: 1
        dataset_directory: "dataset"
        tokenizer_directory: "."
      """;

  @Test
  void readsTheTrainSectionAndTheGlobalSeed() {
    TrainingConfig c = TrainingConfigReader.parse(CONFIG, "config.yaml");
    assertEquals(7, c.seed());
    assertEquals(4, c.batchSize());
    assertEquals(1e-2, c.learningRate());
    assertEquals(1, c.threads());
    assertEquals("dataset", c.datasetDirectory());
  }

  /** Upstream's own file (no threads key: one thread) reads as it is. */
  @Test
  void readsUpstreamsConfigWhenPresent() throws Exception {
    Optional<Path> upstream = UpstreamModel.directory();
    if (upstream.isEmpty()) {
      return;
    }
    TrainingConfig c = TrainingConfigReader.parse(Files.readString(upstream.get().resolve("config.yaml")), "config.yaml");
    assertEquals(42, c.seed());
    assertEquals(500, c.maxSteps());
    assertEquals(1, c.threads());
  }

  @Test
  void refusesWhatItWouldNotHonour() {
    assertRefused(CONFIG.replace("  threads: 1\n", "  threads: 1\n  gradient_accumulation_steps: 2\n"), "gradient_accumulation_steps");
    assertRefused(CONFIG.replace("  threads: 1\n", "  threads: 1\n  precision: \"bf16\"\n"), "precision");
    assertRefused(CONFIG.replace("  threads: 1\n", "  threads: 1\n  turbo: true\n"), "train.turbo is not a known key");
    assertRefused(CONFIG.replace("warmup_steps: 2", "warmup_steps: 30"), "train.warmup_steps");
    assertRefused(CONFIG.replace("seed: 7", "seed: seven"), "global.seed");
    assertRefused(CONFIG.replace("learning_rate: 1e-2", "learning_rate: fast"), "train.learning_rate");
  }

  private static void assertRefused(String yaml, String fragment) {
    BadInputException e = assertThrows(BadInputException.class, () -> TrainingConfigReader.parse(yaml, "config.yaml"));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
