package io.m31r.release.registry;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.hadoop.StorageUris;
import io.m31r.release.process.LocalHost;
import io.m31r.release.version.Semver;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * The export lease {@code <root>/.locks/<version>}: taken right after preflight, before any heavy
 * stage, so that of two exports of one version the second learns it within seconds and exits 1
 * (retry later) instead of benchmarking for minutes and then overwriting the winner's report.
 *
 * <p>Taking it is an atomic create where the store has one: a hard link of a complete temporary
 * file on local disks (a link never replaces a file), a no-overwrite {@code FileContext.rename} on
 * HDFS. Object stores (S3A in Hadoop 3.4.1) have no conditional create: there the lease is advisory.
 * A run that starts after another's lease is visible always sees it; two runs that write theirs
 * within the same moment may both read back their own and both proceed. Publish then still admits
 * exactly one publish record per version, and the loser's record write fails as a conflict.
 *
 * <p>A lease is stale ({@link LeaseHolder#isStale}) when its holder on this host is dead or it is
 * older than a day; the next run (or {@code m31r gc}) clears the holder's leftovers
 * ({@link Leftovers}) and takes it over.
 */
public final class ExportLease implements AutoCloseable {
  private final ReleaseRoot root;
  private final Semver version;
  private final LeaseHolder holder;
  private final Optional<LeaseHolder> tookOverFrom;
  private boolean released;
  /** Folders that taking the lease created (the root itself on a first export, its .locks/): a refused export leaves none. */
  private List<Path> created = List.of();

  private ExportLease(ReleaseRoot root, Semver version, LeaseHolder holder, Optional<LeaseHolder> tookOverFrom) {
    this.root = root;
    this.version = version;
    this.holder = holder;
    this.tookOverFrom = tookOverFrom;
  }

  /** The name of this host as leases record it. */
  public static String thisHost() {
    return LocalHost.name();
  }

  /**
   * Takes the lease for {@code version}, recording {@code workDir} (not yet created) as the run's
   * work folder. Held by a live run: {@link LeaseHeldException} (exit 1).
   */
  public static ExportLease acquire(ReleaseRoot root, Semver version, java.nio.file.Path workDir) {
    LeaseHolder me = new LeaseHolder(
        UUID.randomUUID().toString(), thisHost(), ProcessHandle.current().pid(), Instant.now(), workDir.toString());
    Path file = root.leaseFile(version);
    List<Path> missing = missingFolders(root, file.getParent());
    Optional<LeaseHolder> previous = Optional.empty();
    for (int attempt = 0; attempt < 2; attempt++) {
      if (create(root, file, me.bytes())) {
        ExportLease lease = new ExportLease(root, version, me, previous);
        lease.created = missing;
        return lease;
      }
      byte[] existing = read(root, file);
      if (existing == null) {
        continue; // released between our create and our read: try again
      }
      Optional<LeaseHolder> other = LeaseHolder.parse(existing);
      if (other.isPresent() && !other.get().isStale(Instant.now(), thisHost())) {
        throw new LeaseHeldException("version " + version + " is being exported by " + other.get().describe()
            + " (lease " + file + "); retry later");
      }
      if (other.isEmpty() && !olderThanStaleness(root, file)) {
        throw new LeaseHeldException("lease " + file + " is unreadable and recent; retry later, or remove it once no export of "
            + version + " runs");
      }
      other.ifPresent(o -> new Leftovers(root).clear(version, o));
      previous = other;
      breakLease(root, file, existing);
    }
    throw new LeaseHeldException("lease " + file + " changed hands while being taken over; retry later");
  }

  public LeaseHolder holder() {
    return holder;
  }

  /** The stale holder whose leftovers this run cleared before taking the lease, if any. */
  public Optional<LeaseHolder> tookOverFrom() {
    return tookOverFrom;
  }

  /** Gives the lease back if it is still ours; a lease someone broke meanwhile is left to them. */
  @Override
  public void close() {
    if (released) {
      return;
    }
    released = true;
    Path file = root.leaseFile(version);
    try {
      byte[] now = read(root, file);
      if (now != null && Arrays.equals(now, holder.bytes())) {
        root.fileSystem().delete(file, false);
      }
    } catch (IOException | RuntimeException e) {
      // A lease left behind is stale as soon as this process is gone; the next run clears it.
      return;
    }
    for (Path dir : created) {
      try {
        FileStatus[] left = root.fileSystem().listStatus(dir);
        if (left.length > 0) {
          return; // another run's lease, or a release: not ours to remove
        }
        root.fileSystem().delete(dir, false);
      } catch (IOException | RuntimeException e) {
        return;
      }
    }
  }

  /** The folders from {@code dir} up to the root that do not exist yet, innermost first. */
  private static List<Path> missingFolders(ReleaseRoot root, Path dir) {
    List<Path> out = new java.util.ArrayList<>();
    try {
      for (Path p = dir; p != null && !root.fileSystem().exists(p); p = p.getParent()) {
        out.add(p);
        if (p.equals(root.path())) {
          break;
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return List.copyOf(out);
  }

  private static boolean create(ReleaseRoot root, Path file, byte[] content) {
    FileSystem fs = root.fileSystem();
    try {
      fs.mkdirs(file.getParent());
      if (StorageUris.isLocal(file)) {
        return createLocal(StorageUris.toLocal(file), content);
      }
      if (root.usesCommitMarkers()) {
        return createAdvisory(root, fs, file, content);
      }
      Path temp = new Path(file.getParent(), "." + file.getName() + ".tmp-" + UUID.randomUUID());
      try {
        try (FSDataOutputStream out = fs.create(temp, false)) {
          out.write(content);
          out.hsync();
        }
        FileContext.getFileContext(file.toUri(), root.conf()).rename(temp, file, Options.Rename.NONE);
        return true;
      } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
        return false;
      } finally {
        fs.delete(temp, false);
      }
    } catch (IOException e) {
      throw new InfrastructureException("cannot take the export lease " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean createLocal(java.nio.file.Path file, byte[] content) throws IOException {
    java.nio.file.Path temp = file.resolveSibling("." + file.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(content));
        ch.force(true);
      }
      Files.createLink(file, temp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Object stores: check, PUT, read back. Advisory only (see the class comment). */
  private static boolean createAdvisory(ReleaseRoot root, FileSystem fs, Path file, byte[] content) throws IOException {
    if (fs.exists(file)) {
      return false;
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(content);
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
    byte[] back = read(root, file);
    return back != null && Arrays.equals(back, content);
  }

  /** Moves a stale lease aside (one mover wins on local/HDFS) and removes it. */
  private static void breakLease(ReleaseRoot root, Path file, byte[] seen) {
    FileSystem fs = root.fileSystem();
    Path aside = new Path(file.getParent(), "." + file.getName() + ".broken-" + UUID.randomUUID());
    try {
      byte[] now = read(root, file);
      if (now == null || !Arrays.equals(now, seen)) {
        return; // someone else broke or renewed it first
      }
      if (fs.rename(file, aside)) {
        fs.delete(aside, false);
      }
    } catch (IOException e) {
      throw new InfrastructureException("cannot clear the stale export lease " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean olderThanStaleness(ReleaseRoot root, Path file) {
    try {
      long mtime = root.fileSystem().getFileStatus(file).getModificationTime();
      return Instant.ofEpochMilli(mtime).plus(LeaseHolder.STALE_AFTER).isBefore(Instant.now());
    } catch (FileNotFoundException e) {
      return true;
    } catch (IOException e) {
      throw new InfrastructureException("cannot inspect " + file + ": " + e.getMessage(), e);
    }
  }

  static byte[] read(ReleaseRoot root, Path file) {
    try (InputStream in = root.fileSystem().open(file)) {
      return in.readAllBytes();
    } catch (FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
