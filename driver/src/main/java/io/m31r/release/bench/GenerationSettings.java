package io.m31r.release.bench;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.model.runtime.DeviceSpec;
import java.io.Serializable;

/**
 * How completions are generated for a model benchmark, shipped to the executors.
 *
 * @param modelDir the bundle directory; it must be readable at this path on every executor (a
 *     shared mount or the same image), as on one machine in local mode
 * @param temperature 0 (or anything <= 1e-8) is greedy decoding
 * @param topK 0 for no top-k cut
 * @param device {@code cpu}, or {@code gpu}/{@code gpu:N}: then the stage asks Spark for a GPU per
 *     task (stage-level scheduling) and each task runs on the GPU it was assigned
 * @param gpuDiscoveryScript the executors' GPU discovery script, used only with a GPU device
 */
public record GenerationSettings(
    String modelDir, boolean allowUnverified, int samplesPerTask, double temperature, int topK, double topP,
    long seed, int maxNewTokens, String device, String gpuDiscoveryScript) implements Serializable {
  public GenerationSettings {
    DeviceSpec.parse(device);
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
