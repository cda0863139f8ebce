package io.m31r.release.pipeline;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.packaging.StreamDigest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SortedMap;

/**
 * The candidate's weights, tokenizer and training config as frozen: byte copies in the export's
 * work folder, each hashed while it was copied, with a {@code checksum.txt} of those digests. Made
 * once by the freeze stage; the benchmark's executors load it (and verify it on load: a copy
 * changed since is refused, not benchmarked), and the package stage moves its files into the
 * release. What is frozen is therefore the very bytes that are benchmarked and released, even if a
 * source changes after the freeze. Each source is read once, and written once.
 */
public record FrozenBundle(Path dir, String modelSha256, String tokenizerSha256, String configSha256) {
  /** Copies the three sources into the new folder {@code dir}, hashing each on the way. */
  static FrozenBundle freeze(Path model, Path tokenizer, Path config, Path dir) {
    create(dir);
    String m = copy(model, dir.resolve(ReleaseFiles.MODEL));
    String t = copy(tokenizer, dir.resolve(ReleaseFiles.TOKENIZER));
    String c = copy(config, dir.resolve(ReleaseFiles.CONFIG));
    return new FrozenBundle(dir, m, t, c).withChecksums();
  }

  /**
   * This bundle with another model (a reproduction packs the model it rebuilt) in the new folder
   * {@code dir}; the tokenizer and config are this bundle's frozen copies.
   */
  FrozenBundle withModel(Path model, Path dir) {
    create(dir);
    String m = copy(model, dir.resolve(ReleaseFiles.MODEL));
    copy(tokenizer(), dir.resolve(ReleaseFiles.TOKENIZER));
    copy(config(), dir.resolve(ReleaseFiles.CONFIG));
    return new FrozenBundle(dir, m, tokenizerSha256, configSha256).withChecksums();
  }

  public Path model() {
    return dir.resolve(ReleaseFiles.MODEL);
  }

  public Path tokenizer() {
    return dir.resolve(ReleaseFiles.TOKENIZER);
  }

  public Path config() {
    return dir.resolve(ReleaseFiles.CONFIG);
  }

  private FrozenBundle withChecksums() {
    SortedMap<String, String> digests = Sha256sumListing.newSortedMap();
    digests.put(ReleaseFiles.MODEL, modelSha256);
    digests.put(ReleaseFiles.TOKENIZER, tokenizerSha256);
    digests.put(ReleaseFiles.CONFIG, configSha256);
    Path checksums = dir.resolve(ReleaseFiles.CHECKSUM);
    try {
      Files.writeString(checksums, Sha256sumListing.render(digests), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new InfrastructureException("cannot write " + checksums + ": " + e.getMessage(), e);
    }
    return this;
  }

  private static void create(Path dir) {
    try {
      Files.createDirectories(dir.getParent());
      Files.createDirectory(dir);
    } catch (IOException e) {
      throw new InfrastructureException("cannot create the frozen bundle " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String copy(Path source, Path target) {
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      return StreamDigest.copyAndDigest(source, out);
    } catch (IOException e) {
      throw new InfrastructureException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
