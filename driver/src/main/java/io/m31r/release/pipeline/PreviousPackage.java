package io.m31r.release.pipeline;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.model.bundle.ChecksumFile;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.registry.ReleaseLocation;
import io.m31r.release.registry.ReleaseRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;

/**
 * The previous release's published package as a bundle the benchmark loads like the candidate's:
 * its weights, tokenizer and config copied from the release root (local or remote) into the work
 * folder, with a {@code checksum.txt} of their digests as the release's own {@code checksum.txt}
 * lists them (its model the one its metadata names). The benchmark verifies the bundle against it
 * on load, like any bundle, and stages it for the executors like the candidate (executors never
 * read driver-local paths). The release's README.txt and metadata.json stay behind: generation
 * does not read them, and a bundle shipped to executors holds only what it lists.
 */
final class PreviousPackage {
  private static final List<String> RUNTIME = List.of(ReleaseFiles.MODEL, ReleaseFiles.TOKENIZER, ReleaseFiles.CONFIG);

  private PreviousPackage() {}

  static Path fetch(ReleaseRoot root, ReleaseMetadata previous, Path dir) {
    ReleaseLocation location = root.find(previous.version())
        .orElseThrow(() -> new IntegrityException("previous release " + previous.version() + " is no longer in " + root.path()));
    FileSystem fs = root.fileSystem();
    Path published = dir.resolveSibling(dir.getFileName() + ".published-" + ReleaseFiles.CHECKSUM);
    try {
      Files.createDirectories(dir);
      copy(fs, location, ReleaseFiles.CHECKSUM, published);
      for (String name : RUNTIME) {
        copy(fs, location, name, dir.resolve(name));
      }
    } catch (java.io.FileNotFoundException e) {
      throw new IntegrityException("previous release " + previous.version() + " is missing a file: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new InfrastructureException("cannot copy release " + previous.version() + " from " + location.dir() + ": " + e.getMessage(), e);
    }
    Map<String, String> listed = ChecksumFile.read(published).digestsByName();
    if (!previous.modelHash().equals(listed.get(ReleaseFiles.MODEL))) {
      throw new IntegrityException("previous release " + previous.version() + ": " + ReleaseFiles.CHECKSUM + " lists "
          + ReleaseFiles.MODEL + " as " + listed.get(ReleaseFiles.MODEL) + ", its metadata.json model_hash is " + previous.modelHash());
    }
    TreeMap<String, String> runtime = new TreeMap<>();
    for (String name : RUNTIME) {
      String digest = listed.get(name);
      if (digest == null) {
        throw new IntegrityException("previous release " + previous.version() + ": " + ReleaseFiles.CHECKSUM + " does not list " + name);
      }
      runtime.put(name, digest);
    }
    try {
      Files.writeString(dir.resolve(ReleaseFiles.CHECKSUM), Sha256sumListing.render(runtime));
    } catch (IOException e) {
      throw new InfrastructureException("cannot write " + dir.resolve(ReleaseFiles.CHECKSUM) + ": " + e.getMessage(), e);
    }
    return dir;
  }

  private static void copy(FileSystem fs, ReleaseLocation location, String name, Path to) throws IOException {
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(location.dir(), name))) {
      Files.copy(in, to);
    }
  }
}
