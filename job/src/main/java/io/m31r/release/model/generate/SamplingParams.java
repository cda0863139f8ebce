package io.m31r.release.model.generate;

import io.m31r.release.failure.BadInputException;

/**
 * How the next token is chosen. Temperature at or below {@link #GREEDY_TEMPERATURE} means argmax,
 * as upstream; otherwise logits / T, then top-k (0 = off), then top-p (1 = off), then a draw.
 */
public record SamplingParams(double temperature, int topK, double topP) {
  public static final double GREEDY_TEMPERATURE = 1e-8;
  public static final SamplingParams GREEDY = new SamplingParams(0, 0, 1);

  public SamplingParams {
    if (!(temperature >= 0) || !Double.isFinite(temperature)) {
      throw new BadInputException("temperature must be a finite number >= 0: " + temperature);
    }
    if (topK < 0) {
      throw new BadInputException("top-k must be >= 0 (0 turns it off): " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new BadInputException("top-p must be in (0, 1]: " + topP);
    }
  }

  public boolean greedy() {
    return temperature <= GREEDY_TEMPERATURE;
  }
}
