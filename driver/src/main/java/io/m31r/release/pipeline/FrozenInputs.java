package io.m31r.release.pipeline;

import io.m31r.release.failure.BadInputException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The inputs frozen for this release: SHA-256 digests of the dataset manifest, the tokenizer and the
 * config, and the training seed from the config.
 */
public record FrozenInputs(String datasetSha256, String tokenizerSha256, String configSha256, long seed) {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public FrozenInputs {
    datasetSha256 = digest("dataset_sha256", datasetSha256);
    tokenizerSha256 = digest("tokenizer_sha256", tokenizerSha256);
    configSha256 = digest("config_sha256", configSha256);
  }

  private static String digest(String field, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (!SHA256.matcher(v).matches()) {
      throw new BadInputException("frozen " + field + ": '" + value + "' is not a 64-character hex SHA-256 digest");
    }
    return v;
  }
}
