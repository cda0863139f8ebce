package io.m31r.release.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.model.config.ModelConfigReader;
import java.util.Map;
import java.util.Optional;

/**
 * The training seed as export freezes it: the one the checkpoint records in its safetensors
 * {@code __metadata__}, else the training config's {@code global.seed}. Export and {@code m31r
 * attest-rebuild} both take it from here, so a record and a release name the seed alike.
 */
public final class TrainingSeed {
  private TrainingSeed() {}

  public static long of(Map<String, String> recorded, String configYaml, String configName) {
    return of(recorded, configSeed(configYaml, configName), configName);
  }

  static long of(Map<String, String> recorded, Optional<Long> configSeed, String configName) {
    String s = recorded.get(Traceability.SEED);
    if (s != null) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new BadInputException("model.safetensors __metadata__ seed is not an integer: " + s);
      }
    }
    return configSeed.orElseThrow(
        () -> new BadInputException(
            "training seed unknown: model.safetensors records no seed and " + configName + " has no global.seed"));
  }

  /** The config's {@code global.seed}, if it has one. */
  public static Optional<Long> configSeed(String yaml, String configName) {
    JsonNode seed = ModelConfigReader.readTree(yaml, configName).path("global").path("seed");
    if (seed.isMissingNode()) {
      return Optional.empty();
    }
    if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
      throw new BadInputException(configName + " global.seed must be an integer: " + seed);
    }
    return Optional.of(seed.longValue());
  }
}
