package io.m31r.release.packaging;

import io.m31r.release.failure.BadInputException;
import java.nio.file.Path;

/**
 * What {@link ReleasePackager} packs: the three model files, the metadata that already records
 * their digests, the README text (see {@link ReleaseReadme}), and whether the files are copied or
 * moved into the release.
 */
public record PackageInputs(Path model, Path tokenizer, Path config, ReleaseMetadata metadata, String readme, Transfer transfer) {
  /** How the three files reach the staging folder. */
  public enum Transfer {
    /** Byte copies: the sources are the user's and stay as they are. */
    COPY,
    /** Moved: the sources are the export's own frozen copies, which nothing reads after packaging. */
    MOVE
  }

  /** Packs copies of the three files; the sources are left as they are. */
  public PackageInputs(Path model, Path tokenizer, Path config, ReleaseMetadata metadata, String readme) {
    this(model, tokenizer, config, metadata, readme, Transfer.COPY);
  }

  public PackageInputs {
    if (model == null || tokenizer == null || config == null) {
      throw new BadInputException("package inputs: model, tokenizer and config paths are all required");
    }
    if (metadata == null) {
      throw new BadInputException("package inputs: metadata is required");
    }
    if (transfer == null) {
      throw new BadInputException("package inputs: transfer is required");
    }
    if (readme == null || readme.isBlank()) {
      throw new BadInputException("package inputs: README text is required");
    }
  }
}
