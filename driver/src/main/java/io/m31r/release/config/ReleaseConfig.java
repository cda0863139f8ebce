package io.m31r.release.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.m31r.release.failure.BadInputException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The validated contents of {@code conf/release.yaml}.
 *
 * @param configVersion schema version; only {@link #CURRENT_VERSION} is understood
 * @param freeze settings of the dataset freeze stage
 * @param hadoop extra Hadoop settings (for example S3A endpoint and credentials provider) applied
 *     to the driver and, through Spark, to every executor
 * @param release the inputs of {@code m31r export}; null in a config that only freezes or benches
 */
public record ReleaseConfig(
    @JsonProperty(value = "config_version", required = true) int configVersion,
    @JsonProperty(value = "freeze", required = true) FreezeSettings freeze,
    @JsonProperty(value = "hadoop") Map<String, String> hadoop,
    @JsonProperty(value = "release") ReleaseSettings release) {

  public static final int CURRENT_VERSION = 1;

  public static final ReleaseConfig DEFAULTS =
      new ReleaseConfig(CURRENT_VERSION, FreezeSettings.DEFAULTS, Map.of(), null);

  /** The release section, which {@code export} and {@code reproduce} cannot do without. */
  public ReleaseSettings requireRelease(String command) {
    if (release == null) {
      throw new BadInputException("config: " + command + " needs a 'release:' section (see docs/configuration.md)");
    }
    return release;
  }

  @JsonCreator
  public ReleaseConfig {
    if (freeze == null) {
      throw new BadInputException("config freeze: missing required key");
    }
    if (configVersion == 0) {
      throw new BadInputException("config config_version: missing required key");
    }
    if (configVersion != CURRENT_VERSION) {
      throw new BadInputException(
          "config config_version: "
              + configVersion
              + " is not supported (this build reads version "
              + CURRENT_VERSION
              + ")");
    }
    hadoop = hadoop == null ? Map.of() : Map.copyOf(new TreeMap<>(hadoop));
    for (var e : hadoop.entrySet()) {
      if (e.getKey().isBlank() || e.getValue() == null) {
        throw new BadInputException("config hadoop." + e.getKey() + ": needs a non-empty key and a value");
      }
    }
  }
}
