package io.m31r.release.pipeline;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.model.bundle.ChecksumFile;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.registry.ReleaseLocation;
import io.m31r.release.registry.ReleaseRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileSystem;

/**
 * The previous release's published package, copied from the release root (local or remote) into
 * the work folder so the benchmark can load it as it loads any bundle: verified against its
 * {@code checksum.txt} on load, and from there staged for the executors like the candidate
 * (executors never read driver-local paths). Its model must be the one its metadata names.
 */
final class PreviousPackage {
  private PreviousPackage() {}

  static Path fetch(ReleaseRoot root, ReleaseMetadata previous, Path dir) {
    ReleaseLocation location = root.find(previous.semver())
        .orElseThrow(() -> new IntegrityException("previous release " + previous.version() + " is no longer in " + root.path()));
    FileSystem fs = root.fileSystem();
    try {
      Files.createDirectories(dir);
      for (String name : ReleaseFiles.ALL) {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(location.dir(), name))) {
          Files.copy(in, dir.resolve(name));
        }
      }
    } catch (java.io.FileNotFoundException e) {
      throw new IntegrityException("previous release " + previous.version() + " is missing a file: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new InfrastructureException("cannot copy release " + previous.version() + " from " + location.dir() + ": " + e.getMessage(), e);
    }
    String listed = ChecksumFile.read(dir.resolve(ReleaseFiles.CHECKSUM)).digestsByName().get(ReleaseFiles.MODEL);
    if (!previous.modelHash().equals(listed)) {
      throw new IntegrityException("previous release " + previous.version() + ": " + ReleaseFiles.CHECKSUM + " lists "
          + ReleaseFiles.MODEL + " as " + listed + ", its metadata.json model_hash is " + previous.modelHash());
    }
    return dir;
  }
}
