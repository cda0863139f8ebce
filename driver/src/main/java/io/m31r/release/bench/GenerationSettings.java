package io.m31r.release.bench;

import io.m31r.release.failure.BadInputException;
import java.io.Serializable;

/**
 * How completions are generated for a model benchmark, shipped to the executors.
 *
 * @param modelDir the bundle directory; it must be readable at this path on every executor (a
 *     shared mount or the same image), as on one machine in local mode
 * @param temperature 0 (or anything <= 1e-8) is greedy decoding
 * @param topK 0 for no top-k cut
 */
public record GenerationSettings(
    String modelDir, boolean allowUnverified, int samplesPerTask, double temperature, int topK, double topP,
    long seed, int maxNewTokens) implements Serializable {
  public GenerationSettings {
    if (samplesPerTask < 1) {
      throw new BadInputException("bench --samples: must be at least 1");
    }
    if (maxNewTokens < 1) {
      throw new BadInputException("bench --max-new-tokens: must be at least 1");
    }
    if (temperature < 0 || topK < 0 || !(topP > 0 && topP <= 1)) {
      throw new BadInputException("bench sampling: temperature >= 0, top-k >= 0 and 0 < top-p <= 1 required");
    }
  }
}
