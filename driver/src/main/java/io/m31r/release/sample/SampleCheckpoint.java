package io.m31r.release.sample;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.model.bundle.ChecksumFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Completes a trained {@code model.safetensors} into a bundle the runtime loads verified: the
 * config.yaml and tokenizer.json it was trained with beside it, and a {@code checksum.txt}
 * covering all three.
 */
final class SampleCheckpoint {
  private SampleCheckpoint() {}

  static void complete(Path checkpointDir, Path config, Path tokenizer) {
    try {
      Files.copy(config, checkpointDir.resolve(ReleaseFiles.CONFIG));
      Files.copy(tokenizer, checkpointDir.resolve(ReleaseFiles.TOKENIZER));
      ChecksumFile.writeForBundle(checkpointDir);
    } catch (IOException e) {
      throw new InfrastructureException("cannot complete the checkpoint in " + checkpointDir + ": " + e.getMessage(), e);
    }
  }
}
