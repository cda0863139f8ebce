package io.m31r.release.pipeline;

import io.m31r.release.freeze.DatasetManifest;
import java.util.Map;

/**
 * The inputs as frozen: the dataset manifest (its root digest is the dataset version), the bundle
 * of the candidate weights, tokenizer and training config with their SHA-256 (the tokenizer's is
 * its version), what the checkpoint records about its training, and the training seed.
 */
public record FrozenArtifacts(
    DatasetManifest dataset, String datasetUri, FrozenBundle bundle, Map<String, String> checkpointMetadata, long trainingSeed) {
  public FrozenArtifacts {
    checkpointMetadata = Map.copyOf(checkpointMetadata);
  }

  public String tokenizerSha256() {
    return bundle.tokenizerSha256();
  }

  public String configSha256() {
    return bundle.configSha256();
  }

  public String modelSha256() {
    return bundle.modelSha256();
  }

  /** The same facts with another candidate bundle (a reproduction's rebuilt model). */
  FrozenArtifacts withBundle(FrozenBundle other) {
    return new FrozenArtifacts(dataset, datasetUri, other, checkpointMetadata, trainingSeed);
  }
}
