package io.m31r.release.tasks.bench;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.model.runtime.DeviceSpec;
import io.m31r.release.tasks.ship.ShippedBundle;
import java.io.Serializable;

/**
 * How completions are generated for a model benchmark, shipped to the executors.
 *
 * @param modelDir the bundle directory on the driver; tasks never open it, they get {@code shipped}
 * @param stagingArea a Hadoop URI where a bundle too large to ship with the job is staged for the
 *     executors (the release root's {@code .staging/}), or null
 * @param temperature 0 (or anything <= 1e-8) is greedy decoding
 * @param topK 0 for no top-k cut
 * @param device {@code cpu}, or {@code gpu}/{@code gpu:N}: then the stage asks Spark for a GPU per
 *     task (stage-level scheduling) and each task runs on the GPU it was assigned
 * @param gpuDiscoveryScript the executors' GPU discovery script, used only with a GPU device
 * @param shipped the bundle as tasks fetch it; null until the generation stage has shipped it
 */
public record GenerationSettings(
    String modelDir, String stagingArea, boolean allowUnverified, int samplesPerTask, double temperature, int topK, double topP,
    long seed, int maxNewTokens, String device, String gpuDiscoveryScript, ShippedBundle shipped)
    implements Serializable {
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

  /** The same generation (sampling, seed, device, staging) for another bundle on the driver's disk. */
  public GenerationSettings forModel(String otherModelDir) {
    return new GenerationSettings(otherModelDir, stagingArea, allowUnverified, samplesPerTask, temperature, topK, topP, seed,
        maxNewTokens, device, gpuDiscoveryScript, null);
  }

  /** These settings with the bundle as the tasks will fetch it. */
  public GenerationSettings withShipped(ShippedBundle bundle) {
    return new GenerationSettings(modelDir, stagingArea, allowUnverified, samplesPerTask, temperature, topK, topP, seed,
        maxNewTokens, device, gpuDiscoveryScript, bundle);
  }
}
