package io.m31r.release.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.m31r.release.failure.BadInputException;

/**
 * {@code release.signing}: where export finds the release signing key, never the key itself.
 * Exactly one of {@code private_key_file} (a PKCS#8 PEM file, relative to release.yaml) and
 * {@code private_key_env} (the name of an environment variable holding the PEM text).
 *
 * @param required refuse to publish an unsigned release (exit 3) when no key can be had
 * @param builderId the SLSA {@code runDetails.builder.id} recorded in the provenance
 */
public record SigningSettings(
    @JsonProperty("required") boolean required,
    @JsonProperty("private_key_file") String privateKeyFile,
    @JsonProperty("private_key_env") String privateKeyEnv,
    @JsonProperty("builder_id") String builderId) {
  public static final String DEFAULT_BUILDER_ID = "https://m31r-release.invalid/builders/m31r-export";

  @JsonCreator
  public SigningSettings {
    KeySource.check("release.signing", privateKeyFile, privateKeyEnv, required);
    if (builderId == null) {
      builderId = DEFAULT_BUILDER_ID;
    } else if (builderId.isBlank()) {
      throw new BadInputException("config release.signing.builder_id: must be a non-empty string");
    }
  }

  /** Validation shared with {@code release.tag_signing}. */
  static final class KeySource {
    private KeySource() {}

    static void check(String key, String file, String env, boolean keyOptional) {
      if (file != null && env != null) {
        throw new BadInputException("config " + key + ": give private_key_file or private_key_env, not both");
      }
      if (file == null && env == null && !keyOptional) {
        throw new BadInputException("config " + key + ": needs private_key_file or private_key_env");
      }
      if (file != null && file.isBlank()) {
        throw new BadInputException("config " + key + ".private_key_file: must be a non-empty path");
      }
      if (env != null && !env.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new BadInputException("config " + key + ".private_key_env: must be an environment variable name");
      }
      if (file != null && file.contains("-----BEGIN")) {
        throw new BadInputException("config " + key + ".private_key_file: holds key text; name a file or an environment variable instead (never the key itself)");
      }
    }
  }
}
