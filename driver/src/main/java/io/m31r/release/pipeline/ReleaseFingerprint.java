package io.m31r.release.pipeline;

import io.m31r.release.failure.BadInputException;

/**
 * What a release was made from, as its metadata.json records it: the digest of the model weights and
 * the frozen tokenizer and dataset versions.
 */
public record ReleaseFingerprint(String modelHash, String tokenizerVersion, String datasetVersion) {
  public ReleaseFingerprint {
    modelHash = required("model_hash", modelHash);
    tokenizerVersion = required("tokenizer_version", tokenizerVersion);
    datasetVersion = required("dataset_version", datasetVersion);
  }

  private static String required(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new BadInputException("release fingerprint " + field + ": missing or empty");
    }
    return value.trim();
  }
}
