package io.m31r.release.pipeline;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.formats.Sha256sumListing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;

/**
 * The candidate as the runtime loads it: byte copies of the frozen weights, tokenizer and config
 * with a checksum.txt of their frozen digests, so the benchmark's executors verify on load exactly
 * the bytes that were frozen (a file changed since is refused, not benchmarked).
 */
final class CandidateBundle {
  private CandidateBundle() {}

  static Path write(ReleaseInputs in, FrozenArtifacts frozen, Path dir) {
    try {
      Files.createDirectories(dir);
      Files.copy(in.model(), dir.resolve(ReleaseFiles.MODEL));
      Files.copy(in.tokenizer(), dir.resolve(ReleaseFiles.TOKENIZER));
      Files.copy(in.trainingConfig(), dir.resolve(ReleaseFiles.CONFIG));
      TreeMap<String, String> digests = new TreeMap<>();
      digests.put(ReleaseFiles.MODEL, frozen.modelSha256());
      digests.put(ReleaseFiles.TOKENIZER, frozen.tokenizerSha256());
      digests.put(ReleaseFiles.CONFIG, frozen.configSha256());
      Files.writeString(dir.resolve(ReleaseFiles.CHECKSUM), Sha256sumListing.render(digests));
      return dir;
    } catch (IOException e) {
      throw new InfrastructureException("cannot write the candidate bundle in " + dir + ": " + e.getMessage(), e);
    }
  }
}
