package io.m31r.release.packaging;

import io.m31r.release.failure.BadInputException;
import java.nio.file.Path;

/**
 * What {@link ReleasePackager} packs: the three model files as produced upstream, the metadata that
 * already records their digests, and the README text (see {@link ReleaseReadme}).
 */
public record PackageInputs(Path model, Path tokenizer, Path config, ReleaseMetadata metadata, String readme) {
  public PackageInputs {
    if (model == null || tokenizer == null || config == null) {
      throw new BadInputException("package inputs: model, tokenizer and config paths are all required");
    }
    if (metadata == null) {
      throw new BadInputException("package inputs: metadata is required");
    }
    if (readme == null || readme.isBlank()) {
      throw new BadInputException("package inputs: README text is required");
    }
  }
}
