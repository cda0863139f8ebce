package io.m31r.release.pipeline;

import io.m31r.release.freeze.DatasetManifest;
import java.util.Map;

/**
 * The inputs as frozen: the dataset manifest (its root digest is the dataset version), the SHA-256
 * of the tokenizer (its version), of the training config and of the candidate weights, what the
 * checkpoint records about its training, and the training seed.
 */
public record FrozenArtifacts(
    DatasetManifest dataset, String datasetUri, String tokenizerSha256, String configSha256, String modelSha256,
    Map<String, String> checkpointMetadata, long trainingSeed) {
  public FrozenArtifacts {
    checkpointMetadata = Map.copyOf(checkpointMetadata);
  }
}
