package io.m31r.release.registry;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.version.Semver;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Removes what an abandoned export left: its publish staging copies under {@code .staging/}, its
 * local work folder (when it ran on this host), and on object stores an upload that never got its
 * publish record. Only ever for a version whose lease is stale or absent, so a live run's files are
 * never touched: a run writes staging copies and uploads only while it holds the lease. A folder
 * without a record on local or HDFS roots is never removed: it may be a release published before
 * records existed ({@code m31r adopt}) or one whose rerun completes its record.
 */
public final class Leftovers {
  private static final String WORK_PREFIX = "m31r-export-";
  private final ReleaseRoot root;

  public Leftovers(ReleaseRoot root) {
    this.root = root;
  }

  /** What an abandoned holder of {@code version}'s lease left; returns what was removed. */
  public List<String> clear(Semver version, LeaseHolder abandoned) {
    List<String> removed = new ArrayList<>(clearStaging(version));
    java.nio.file.Path work = java.nio.file.Path.of(abandoned.workDir());
    if (abandoned.host().equals(ExportLease.thisHost()) && work.getFileName() != null
        && work.getFileName().toString().startsWith(WORK_PREFIX) && Files.isDirectory(work)) {
      deleteLocalTree(work);
      removed.add(work.toString());
    }
    removed.addAll(clearUncommittedUpload(version));
    return removed;
  }

  /**
   * Every stale lease cleared and broken; staging copies of versions no lease holds; on object
   * stores, uploads without a record (or legacy marker) of versions no lease holds.
   */
  public List<String> collect() {
    List<String> removed = new ArrayList<>();
    FileSystem fs = root.fileSystem();
    List<String> leased = new ArrayList<>();
    for (FileStatus s : root.listOrEmpty(new Path(root.path(), ReleaseRoot.LOCKS))) {
      String version = s.getPath().getName();
      if (!ReleaseRoot.isVersion(version)) {
        continue;
      }
      byte[] bytes = ExportLease.read(root, s.getPath());
      LeaseHolder h = bytes == null ? null : LeaseHolder.parse(bytes).orElse(null);
      if (h != null && h.isStale(Instant.now(), ExportLease.thisHost())) {
        removed.addAll(clear(Semver.parse(version), h));
        try {
          fs.delete(s.getPath(), false);
          removed.add(s.getPath().toString());
        } catch (IOException e) {
          throw new InfrastructureException("cannot remove the stale lease " + s.getPath() + ": " + e.getMessage(), e);
        }
      } else {
        leased.add(version);
      }
    }
    for (FileStatus s : root.listOrEmpty(root.stagingArea())) {
      String name = s.getPath().getName();
      int dot = name.lastIndexOf('.');
      String version = dot < 0 ? "" : name.substring(0, dot);
      if (ReleaseRoot.isVersion(version) && !leased.contains(version)) {
        delete(fs, s.getPath());
        removed.add(s.getPath().toString());
      }
    }
    for (ReleaseLocation stray : root.strays()) {
      if (!leased.contains(stray.version().toString())) {
        removed.addAll(clearUncommittedUpload(stray.version()));
      }
    }
    return removed;
  }

  private List<String> clearStaging(Semver version) {
    List<String> removed = new ArrayList<>();
    FileSystem fs = root.fileSystem();
    for (FileStatus s : root.listOrEmpty(root.stagingArea())) {
      if (s.getPath().getName().startsWith(version + ".")) {
        delete(fs, s.getPath());
        removed.add(s.getPath().toString());
      }
    }
    return removed;
  }

  /**
   * Object stores only: files uploaded under a version folder that never got a publish record (nor
   * a legacy commit marker). Callers hold the version's lease, or know no live lease exists.
   */
  public List<String> clearUncommittedUpload(Semver version) {
    if (!root.usesCommitMarkers() || root.record(version).isPresent() || root.exists(root.commitMarker(version))) {
      return List.of();
    }
    List<String> removed = new ArrayList<>();
    for (boolean experimental : new boolean[] {false, true}) {
      Path dir = root.releaseDir(version, experimental);
      if (root.exists(dir)) {
        delete(root.fileSystem(), dir);
        removed.add(dir.toString());
      }
    }
    return removed;
  }

  private static void delete(FileSystem fs, Path p) {
    try {
      if (p.toUri().getScheme() != null && p.toUri().getScheme().equals("file")) {
        deleteLocalTree(java.nio.file.Path.of(p.toUri()));
      } else {
        fs.delete(p, true);
      }
    } catch (IOException e) {
      throw new InfrastructureException("cannot remove the leftover " + p + ": " + e.getMessage(), e);
    }
  }

  /** Staging copies are read-only: open them up first. */
  static void deleteLocalTree(java.nio.file.Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      io.m31r.release.fs.FileTrees.delete(dir);
    } catch (IOException e) {
      throw new InfrastructureException("cannot remove the leftover " + dir + ": " + e.getMessage(), e);
    }
  }
}
