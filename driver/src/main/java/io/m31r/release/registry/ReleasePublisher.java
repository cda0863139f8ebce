package io.m31r.release.registry;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ConflictException;
import io.m31r.release.failure.FaultInjection;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.failure.OutcomeUnknownException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.hadoop.StorageUris;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseMetadataCodec;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.packaging.StagedRelease;
import io.m31r.release.packaging.StreamDigest;
import io.m31r.release.storage.ImmutableFileWriter;
import io.m31r.release.storage.WriteOutcome;
import io.m31r.release.version.Semver;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Makes a staged release visible under a release root all at once, or not at all, and never
 * replaces or deletes anything already there.
 *
 * <p>Local files and HDFS: a full copy is written to {@code <root>/.staging/<version>.<random>/},
 * checked, and renamed onto the target with a rename that fails if the target exists, so of two
 * concurrent publishers exactly one wins. Whether a failed rename happened is decided by our own
 * staging copy: still there means it did not (the loser of a race gets a conflict even when the
 * winner's bytes are identical); gone means it did, and the target must then hold our bytes.
 *
 * <p>Object stores: each file is PUT under the target and read back, then the publish record is
 * written as the commit point; until then the version is invisible but occupied.
 *
 * <p>Everywhere the publish record ({@link PublishRecord}) follows the folder: only a folder with
 * its record is a release.
 */
public final class ReleasePublisher {
  private final ReleaseMetadataCodec codec = new ReleaseMetadataCodec();

  public PublishedRelease publish(StagedRelease staged, ReleaseRoot root, Semver semver, boolean experimental) {
    String version = semver.toString();
    ReleaseMetadata m = checkStaged(staged, version, experimental);
    Path target = root.releaseDir(semver, experimental);
    if (root.occupied(semver)) {
      throw new ConflictException(
          "release " + version + " already exists under " + root.path() + "; it was left untouched (publish a new version)");
    }
    if (StorageUris.isLocal(root.path())) {
      publishLocal(staged, root, version, target);
    } else if (root.usesCommitMarkers()) {
      publishToObjectStore(staged, root, version, target, record(staged, root, m, semver, experimental));
    } else {
      publishByRename(staged, root, version, target);
    }
    FaultInjection.at("publish");
    if (!root.usesCommitMarkers()) {
      writeRecord(root, record(staged, root, m, semver, experimental));
    }
    return new PublishedRelease(semver, target, experimental);
  }

  private static PublishRecord record(StagedRelease staged, ReleaseRoot root, ReleaseMetadata m, Semver version, boolean experimental) {
    return new PublishRecord(version, m.releaseType(), experimental, staged.checksumSha256(), m.date(), Sidecars.present(root, version));
  }

  /**
   * The record that turns a folder in place into a release. A rerun writing identical bytes is
   * accepted; a record with other bytes is a conflict and stays as it is.
   */
  static WriteOutcome writeRecord(ReleaseRoot root, PublishRecord record) {
    return new ImmutableFileWriter(root.conf()).write(root.publishRecordFile(record.version()), record.bytes());
  }

  /** The staged directory must still be exactly what the packager produced. */
  private ReleaseMetadata checkStaged(StagedRelease staged, String version, boolean experimental) {
    java.nio.file.Path dir = staged.dir();
    try (Stream<java.nio.file.Path> s = Files.list(dir)) {
      var names = s.map(p -> p.getFileName().toString()).sorted().toList();
      var expected = ReleaseFiles.ALL.stream().sorted().toList();
      if (!names.equals(expected)) {
        throw new BadInputException("staged release " + dir + " holds " + names + ", not exactly " + expected);
      }
    } catch (IOException e) {
      throw new BadInputException("staged release " + dir + " cannot be listed: " + e.getMessage(), e);
    }
    for (Map.Entry<String, String> e : staged.sha256ByFile().entrySet()) {
      String actual = StreamDigest.of(dir.resolve(e.getKey()));
      if (!actual.equals(e.getValue())) {
        throw new IntegrityException("staged " + e.getKey() + " in " + dir + " changed after staging: was " + e.getValue() + ", now " + actual);
      }
    }
    String checksum = StreamDigest.of(dir.resolve(ReleaseFiles.CHECKSUM));
    if (!checksum.equals(staged.checksumSha256())) {
      throw new IntegrityException("staged " + ReleaseFiles.CHECKSUM + " in " + dir + " changed after staging");
    }
    ReleaseMetadata m;
    try {
      m = codec.read(Files.readAllBytes(dir.resolve(ReleaseFiles.METADATA)), "staged " + ReleaseFiles.METADATA);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read staged metadata in " + dir + ": " + e.getMessage(), e);
    }
    if (!m.version().toString().equals(version)) {
      throw new BadInputException("staged release is version " + m.version() + ", asked to publish it as " + version);
    }
    if ((m.releaseType() == ReleaseType.D) != experimental) {
      throw new BadInputException(
          "a type " + m.releaseType() + " release " + (experimental ? "cannot" : "must") + " be published as an experiment"
              + " (type D and only type D goes under " + ReleaseRoot.EXPERIMENTS + "/)");
    }
    return m;
  }

  private void publishLocal(StagedRelease staged, ReleaseRoot root, String version, Path target) {
    java.nio.file.Path dst = StorageUris.toLocal(target);
    java.nio.file.Path copy = StorageUris.toLocal(root.stagingArea()).resolve(version + "." + UUID.randomUUID());
    try {
      Files.createDirectories(copy.getParent());
      Files.createDirectory(copy);
      for (String name : ReleaseFiles.ALL) {
        java.nio.file.Path file = copy.resolve(name);
        Files.copy(staged.dir().resolve(name), file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
      }
      checkCopy(staged, new Path(copy.toUri()), root.conf());
      Files.createDirectories(dst.getParent());
    } catch (IOException e) {
      removeLocalCopy(copy);
      throw new InfrastructureException("cannot stage " + version + " under " + root.stagingArea() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      removeLocalCopy(copy);
      throw e;
    }
    try {
      // rename(2): atomic, and it fails on a non-empty directory, so a target never changes.
      Files.move(copy, dst, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      boolean ours = !Files.exists(copy);
      removeLocalCopy(copy);
      settle(staged, root, target, ours, e);
      return;
    }
    try {
      Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("r-xr-xr-x"));
    } catch (IOException e) {
      throw new InfrastructureException("published " + target + " but cannot make its directory read-only: " + e.getMessage(), e);
    }
  }

  private void publishByRename(StagedRelease staged, ReleaseRoot root, String version, Path target) {
    FileSystem fs = root.fileSystem();
    Path copy = new Path(root.stagingArea(), version + "." + UUID.randomUUID());
    try {
      if (!fs.mkdirs(copy)) {
        throw new IOException("mkdirs returned false");
      }
      for (String name : ReleaseFiles.ALL) {
        Path file = new Path(copy, name);
        try (FSDataOutputStream out = fs.create(file, false)) {
          Files.copy(staged.dir().resolve(name), out);
          out.hsync();
        }
        fs.setPermission(file, new FsPermission((short) 0444));
      }
      checkCopy(staged, copy, root.conf());
      fs.mkdirs(target.getParent());
    } catch (IOException e) {
      removeRemoteCopy(fs, copy);
      throw new InfrastructureException("cannot stage " + version + " under " + root.stagingArea() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      removeRemoteCopy(fs, copy);
      throw e;
    }
    try {
      // Never FileSystem.rename: onto an existing directory it moves the source inside it.
      FileContext.getFileContext(root.path().toUri(), root.conf()).rename(copy, target, Options.Rename.NONE);
    } catch (IOException e) {
      boolean ours = !exists(fs, copy);
      removeRemoteCopy(fs, copy);
      settle(staged, root, target, ours, e);
      return;
    }
    try {
      fs.setPermission(target, new FsPermission((short) 0555));
    } catch (IOException e) {
      throw new InfrastructureException("published " + target + " but cannot make its directory read-only: " + e.getMessage(), e);
    }
  }

  private void publishToObjectStore(StagedRelease staged, ReleaseRoot root, String version, Path target, PublishRecord record) {
    FileSystem fs = root.fileSystem();
    try {
      for (String name : ReleaseFiles.ALL) {
        Path file = new Path(target, name);
        try (OutputStream out = fs.create(file, false);
            InputStream in = Files.newInputStream(staged.dir().resolve(name))) {
          in.transferTo(out);
        }
      }
    } catch (IOException e) {
      throw new InfrastructureException(
          "upload of " + version + " to " + target + " failed before its commit marker; the version is invisible but"
              + " occupied, publish a new version: " + e.getMessage(), e);
    }
    try {
      checkCopy(staged, target, root.conf());
    } catch (IntegrityException e) {
      throw new ConflictException(
          target + " does not read back as what was uploaded (another publisher wrote it concurrently?); not committed: "
              + e.getMessage(), e);
    }
    // The record is the commit point here. ImmutableFileWriter re-reads after a failed PUT:
    // ours -> done, absent -> nothing visible.
    WriteOutcome outcome = writeRecord(root, record);
    if (outcome == WriteOutcome.ALREADY_IDENTICAL) {
      throw new ConflictException("release " + version + " was committed concurrently by another publisher");
    }
  }

  /** Hashes the copy where it lies and compares with what was staged. */
  private static void checkCopy(StagedRelease staged, Path copyDir, Configuration conf) {
    Map<String, String> expected = new TreeMap<>(staged.sha256ByFile());
    expected.put(ReleaseFiles.CHECKSUM, staged.checksumSha256());
    for (Map.Entry<String, String> e : expected.entrySet()) {
      String actual = StreamDigest.of(new Path(copyDir, e.getKey()), conf);
      if (!actual.equals(e.getValue())) {
        throw new IntegrityException(
            "copy of " + e.getKey() + " at " + copyDir + " has sha256 " + actual + ", staged " + e.getValue());
      }
    }
  }

  /**
   * After a failed rename. {@code renamed} is whether our staging copy left its place. Not renamed:
   * a target now present is someone else's (conflict), an absent one means nothing changed.
   * Renamed: only our exact bytes at the target count as success.
   */
  private static void settle(StagedRelease staged, ReleaseRoot root, Path target, boolean renamed, IOException cause) {
    FileSystem fs = root.fileSystem();
    boolean present;
    boolean ours = false;
    try {
      present = exists(fs, target);
      if (renamed && present) {
        ours = holdsExactly(fs, staged, target, root.conf());
      }
    } catch (InfrastructureException e) {
      throw new OutcomeUnknownException(
          "publish of " + target + " failed (" + cause.getMessage() + ") and it cannot be read back: " + e.getMessage(), e);
    }
    if (!present) {
      throw new InfrastructureException("publish failed, nothing visible at " + target + ": " + cause.getMessage(), cause);
    }
    if (!renamed) {
      throw new ConflictException(
          "release at " + target + " was published concurrently by another publisher; it was left untouched");
    }
    if (!ours) {
      throw new OutcomeUnknownException(
          "publish of " + target + " failed (" + cause.getMessage() + ") and it now holds other content; inspect it, nothing was deleted");
    }
  }

  private static boolean holdsExactly(FileSystem fs, StagedRelease staged, Path dir, Configuration conf) {
    try {
      FileStatus[] entries = fs.listStatus(dir);
      if (entries.length != ReleaseFiles.ALL.size()) {
        return false;
      }
      checkCopy(staged, dir, conf);
      return true;
    } catch (IntegrityException | FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new InfrastructureException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static boolean exists(FileSystem fs, Path p) {
    try {
      return fs.exists(p);
    } catch (IOException e) {
      throw new InfrastructureException("cannot inspect " + p + ": " + e.getMessage(), e);
    }
  }

  /** Removes only our own staging copy (files are read-only, the directory is not). */
  private static void removeLocalCopy(java.nio.file.Path copy) {
    if (!Files.exists(copy)) {
      return;
    }
    try (Stream<java.nio.file.Path> s = Files.list(copy)) {
      for (java.nio.file.Path p : s.toList()) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(copy);
    } catch (IOException e) {
      // Leftovers under .staging are invisible to readers and never block a later publish.
    }
  }

  private static void removeRemoteCopy(FileSystem fs, Path copy) {
    try {
      fs.delete(copy, true);
    } catch (IOException e) {
      // As above: .staging is never read, a leftover copy only costs space.
    }
  }
}
