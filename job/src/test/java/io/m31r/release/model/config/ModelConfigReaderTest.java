package io.m31r.release.model.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.ExitCode;
import org.junit.jupiter.api.Test;

class ModelConfigReaderTest {
  private static final String UPSTREAM_STYLE =
      """
      global:
        seed: 42
      model:
        config_version: "1.0.0"
        n_layers: 2
        hidden_size: 64
        n_heads: 2
        head_dim: 32
        context_length: 128
        dropout: 0.0
        norm_eps: 1e-6
        rope_theta: 10000.0
        init_std: 0.02
        vocab_size: 256
      train:
        learning_rate: 1e-2
      """;

  @Test
  void readsTheModelSectionAndIgnoresTheRest() {
    ModelConfig c = ModelConfigReader.parse(UPSTREAM_STYLE, "config.yaml");
    assertEquals(new ModelConfig(2, 64, 2, 32, 128, 0.0, 1e-6, 10000.0, 0.02, 256, "1.0.0"), c);
    assertEquals(64, c.attentionWidth());
  }

  @Test
  void ffnSizeRoundsEightThirdsOfHiddenUpTo256() {
    assertEquals(256, config(64).ffnHiddenSize());
    assertEquals(1024, config(384).ffnHiddenSize());
    assertEquals(256, config(32).ffnHiddenSize());
    // floor(8*96/3) = 256 exactly stays 256; 97 gives 258 -> 512.
    assertEquals(256, config(96).ffnHiddenSize());
    assertEquals(512, config(97).ffnHiddenSize());
  }

  private static ModelConfig config(int d) {
    return new ModelConfig(1, d, 1, 2, 8, 0, 1e-6, 10000, 0.02, 10, "1");
  }

  private static String message(String yaml) {
    InvalidModelConfigException e =
        assertThrows(InvalidModelConfigException.class, () -> ModelConfigReader.parse(yaml, "config.yaml"));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    return e.getMessage();
  }

  @Test
  void namesTheProblemField() {
    assertTrue(message(UPSTREAM_STYLE.replace("  n_heads: 2\n", "")).contains("model.n_heads is missing"));
    assertTrue(message(UPSTREAM_STYLE.replace("n_layers: 2", "n_layers: 2.5")).contains("model.n_layers must be an integer"));
    assertTrue(message(UPSTREAM_STYLE.replace("norm_eps: 1e-6", "norm_eps: tiny")).contains("model.norm_eps must be a number"));
    assertTrue(message(UPSTREAM_STYLE.replace("head_dim: 32", "head_dim: 31")).contains("model.head_dim must be even"));
    assertTrue(message(UPSTREAM_STYLE.replace("vocab_size: 256", "vocab_size: 0")).contains("model.vocab_size must be a positive"));
    assertTrue(message(UPSTREAM_STYLE.replace("dropout: 0.0", "dropout: 0.0\n  n_kv_heads: 1")).contains("model.n_kv_heads is not a known key"));
    assertTrue(message(UPSTREAM_STYLE.replace("model:", "other:")).contains("no 'model:' section"));
    assertTrue(message(UPSTREAM_STYLE.replace("n_layers: 2", "n_layers: 2\n  n_layers: 3")).contains("not valid YAML"));
  }

  @Test
  void refusesAnchorsAndAliases() {
    String yaml =
        UPSTREAM_STYLE.replace("hidden_size: 64", "hidden_size: &d 64").replace("n_heads: 2", "n_heads: *d");
    assertTrue(message(yaml).contains("anchor or alias"));
  }
}
