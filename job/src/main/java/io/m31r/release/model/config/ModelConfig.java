package io.m31r.release.model.config;

/**
 * The architecture hyper-parameters of an M31R checkpoint, as the {@code model:} section of the
 * bundle's {@code config.yaml} states them. Field names follow the YAML keys.
 */
public record ModelConfig(
    int nLayers,
    int hiddenSize,
    int nHeads,
    int headDim,
    int contextLength,
    double dropout,
    double normEps,
    double ropeTheta,
    double initStd,
    int vocabSize,
    String configVersion) {

  public ModelConfig {
    positive("n_layers", nLayers);
    positive("hidden_size", hiddenSize);
    positive("n_heads", nHeads);
    positive("head_dim", headDim);
    positive("context_length", contextLength);
    positive("vocab_size", vocabSize);
    // Interleaved RoPE rotates pairs of a head's dimensions, so a head needs an even size.
    if (headDim % 2 != 0) {
      throw new InvalidModelConfigException("model.head_dim must be even for RoPE pairs: " + headDim);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new InvalidModelConfigException("model.dropout must be in [0, 1): " + dropout);
    }
    if (!(normEps > 0 && Double.isFinite(normEps))) {
      throw new InvalidModelConfigException("model.norm_eps must be a positive number: " + normEps);
    }
    if (!(ropeTheta > 1 && Double.isFinite(ropeTheta))) {
      throw new InvalidModelConfigException("model.rope_theta must be a number above 1: " + ropeTheta);
    }
    if (!(initStd >= 0 && Double.isFinite(initStd))) {
      throw new InvalidModelConfigException("model.init_std must be a non-negative number: " + initStd);
    }
    if (configVersion == null || configVersion.isBlank()) {
      throw new InvalidModelConfigException("model.config_version must be a non-empty string");
    }
    // Guard the products below: Q/K/V widths and the FFN size must fit in an int.
    Math.multiplyExact(nHeads, headDim);
    Math.multiplyExact(hiddenSize, 8);
  }

  /** Width of the concatenated heads, the rows of wq, wk and wv. */
  public int attentionWidth() {
    return nHeads * headDim;
  }

  /** The SwiGLU hidden size upstream derives from d: 256 * ceil(floor(8d/3) / 256). */
  public int ffnHiddenSize() {
    int raw = (8 * hiddenSize) / 3;
    return 256 * ((raw + 255) / 256);
  }

  private static void positive(String key, int value) {
    if (value < 1) {
      throw new InvalidModelConfigException("model." + key + " must be a positive integer: " + value);
    }
  }
}
