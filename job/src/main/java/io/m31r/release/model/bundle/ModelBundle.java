package io.m31r.release.model.bundle;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.hashing.Hex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A model bundle directory whose three runtime files were hashed, and checked against
 * {@code checksum.txt} when {@link #verified()} is true. Opening never reads the files' content
 * beyond hashing it; loading comes after.
 */
public record ModelBundle(
    Path directory,
    String modelSha256,
    String tokenizerSha256,
    String configSha256,
    boolean verified) {
  private static final String[] REQUIRED = {ReleaseFiles.MODEL, ReleaseFiles.TOKENIZER, ReleaseFiles.CONFIG};

  public ModelBundle {
    Objects.requireNonNull(directory, "directory");
    for (String digest : new String[] {modelSha256, tokenizerSha256, configSha256}) {
      if (!Hex.isSha256(digest)) {
        throw new IllegalArgumentException("not a SHA-256: " + digest);
      }
    }
  }

  public Path modelFile() {
    return directory.resolve(ReleaseFiles.MODEL);
  }

  public Path tokenizerFile() {
    return directory.resolve(ReleaseFiles.TOKENIZER);
  }

  public Path configFile() {
    return directory.resolve(ReleaseFiles.CONFIG);
  }

  /**
   * Hashes the three runtime files again and fails if any differs from what {@link #open} hashed:
   * called after loading, it proves that what was loaded is what was verified, even if someone
   * replaced a file in between.
   */
  public void recheck() {
    String[][] files = {{ReleaseFiles.MODEL, modelSha256}, {ReleaseFiles.TOKENIZER, tokenizerSha256}, {ReleaseFiles.CONFIG, configSha256}};
    for (String[] f : files) {
      String now = FileDigests.sha256(directory.resolve(f[0]));
      if (!now.equals(f[1])) {
        throw new IntegrityException(
            f[0] + " in " + directory + " changed while it was loaded: was " + f[1] + ", now " + now);
      }
    }
  }

  /**
   * Checks every file {@code checksum.txt} lists (a mismatch or a missing file is an integrity
   * failure naming the file) and requires the three runtime files to be among them. Without
   * {@code checksum.txt} the bundle is refused unless {@code allowUnverified} is set.
   */
  public static ModelBundle open(Path directory, boolean allowUnverified) {
    if (!Files.isDirectory(directory)) {
      throw new BadInputException("model bundle " + directory + " is not a directory");
    }
    for (String name : REQUIRED) {
      if (!Files.isRegularFile(directory.resolve(name))) {
        throw new BadInputException("model bundle " + directory + " has no " + name);
      }
      requireOwnFile(directory, name);
    }
    Path checksums = directory.resolve(ReleaseFiles.CHECKSUM);
    if (Files.exists(checksums, LinkOption.NOFOLLOW_LINKS)) {
      requireOwnFile(directory, ReleaseFiles.CHECKSUM);
    }
    if (!Files.exists(checksums)) {
      if (!allowUnverified) {
        throw new UnverifiedBundleException(
            "model bundle " + directory + " has no " + ReleaseFiles.CHECKSUM
                + "; refusing to load unverified weights (pass --unverified to accept them)");
      }
      return new ModelBundle(
          directory,
          FileDigests.sha256(directory.resolve(ReleaseFiles.MODEL)),
          FileDigests.sha256(directory.resolve(ReleaseFiles.TOKENIZER)),
          FileDigests.sha256(directory.resolve(ReleaseFiles.CONFIG)),
          false);
    }
    Map<String, String> listed = ChecksumFile.read(checksums).digestsByName();
    for (String name : REQUIRED) {
      if (!listed.containsKey(name)) {
        throw new IntegrityException(name + " is not covered by " + ReleaseFiles.CHECKSUM + " in " + directory);
      }
    }
    for (Map.Entry<String, String> e : listed.entrySet()) {
      Path file = directory.resolve(e.getKey());
      if (!Files.isRegularFile(file)) {
        throw new IntegrityException(e.getKey() + " is listed in " + ReleaseFiles.CHECKSUM + " but missing");
      }
      requireOwnFile(directory, e.getKey());
      String actual = FileDigests.sha256(file);
      if (!actual.equals(e.getValue())) {
        throw new IntegrityException(
            "checksum mismatch for " + e.getKey() + ": " + ReleaseFiles.CHECKSUM + " says " + e.getValue()
                + ", file has " + actual);
      }
    }
    return new ModelBundle(directory, listed.get(ReleaseFiles.MODEL), listed.get(ReleaseFiles.TOKENIZER), listed.get(ReleaseFiles.CONFIG), true);
  }

  /**
   * A bundle holds its files: none is a symbolic link, and none is reached through one (its real
   * path lies in the bundle's). A link could make the loader read a file outside the bundle that
   * nobody packaged, or one that changes after the check. Like model_signing's default, links are
   * refused rather than followed.
   */
  private static void requireOwnFile(Path directory, String name) {
    Path file = directory.resolve(name);
    try {
      Path realDir = directory.toRealPath();
      if (Files.isSymbolicLink(file) || !file.toRealPath().startsWith(realDir)
          || !file.toRealPath().equals(realDir.resolve(name).normalize())) {
        throw new SymlinkInBundleException(
            "model bundle " + directory + ": " + name + " is a symbolic link or reached through one; a bundle holds its own regular files");
      }
    } catch (IOException e) {
      throw new BadInputException("model bundle " + directory + ": cannot resolve " + name + ": " + e.getMessage());
    }
  }
}
