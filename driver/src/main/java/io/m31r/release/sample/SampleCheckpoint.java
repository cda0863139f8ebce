package io.m31r.release.sample;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.model.bundle.FileDigests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Completes a trained {@code model.safetensors} into a bundle the runtime loads verified: the
 * config.yaml and tokenizer.json it was trained with beside it, and a {@code checksum.txt}
 * covering all three.
 */
final class SampleCheckpoint {
  private SampleCheckpoint() {}

  static void complete(Path checkpointDir, Path config, Path tokenizer) {
    try {
      Files.copy(config, checkpointDir.resolve("config.yaml"));
      Files.copy(tokenizer, checkpointDir.resolve("tokenizer.json"));
      SortedMap<String, String> digests = new TreeMap<>();
      for (String name : List.of(SampleModelBuilder.MODEL_FILE, "config.yaml", "tokenizer.json")) {
        digests.put(name, FileDigests.sha256(checkpointDir.resolve(name)));
      }
      Files.writeString(checkpointDir.resolve(ReleaseFiles.CHECKSUM), Sha256sumListing.render(digests));
    } catch (IOException e) {
      throw new InfrastructureException("cannot complete the checkpoint in " + checkpointDir + ": " + e.getMessage(), e);
    }
  }
}
