package io.m31r.release.registry;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseMetadataCodec;
import io.m31r.release.storage.ImmutableFileWriter;
import io.m31r.release.storage.StorageUris;
import io.m31r.release.version.Semver;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A release root ({@code release/}, {@code hdfs://nn/m31r/release}, {@code s3a://bucket/release})
 * and what is committed in it. Versions share one namespace across the normal and experiments
 * areas, so a version names one release wherever it lives.
 *
 * <p>Committed means: on stores with atomic rename, the directory exists (it appears whole); on
 * object stores, the commit marker {@code .commits/<version>} exists too, and a directory without
 * it is an interrupted publish, invisible here but still occupying its version.
 */
public final class ReleaseRoot {
  public static final String EXPERIMENTS = "experiments";
  public static final String STAGING = ".staging";
  public static final String COMMITS = ".commits";
  public static final String INDEX = "index.json";
  public static final String CURRENT = "CURRENT";
  public static final String PIN = "CURRENT.pin";

  private final Path root;
  private final Configuration conf;
  private final ReleaseMetadataCodec codec = new ReleaseMetadataCodec();

  public ReleaseRoot(Path root, Configuration conf) {
    this.root = root;
    this.conf = conf;
  }

  /** A root as a user typed it; plain paths are local, relative to the working directory. */
  public static ReleaseRoot at(String location, Configuration conf) {
    return new ReleaseRoot(StorageUris.resolve("release root", location, conf), conf);
  }

  public Path path() {
    return root;
  }

  public Configuration conf() {
    return conf;
  }

  public FileSystem fileSystem() {
    return StorageUris.fileSystem(root, conf);
  }

  public Path releaseDir(String version, boolean experimental) {
    return releaseDir(Semver.parse(version), experimental);
  }

  public Path releaseDir(Semver version, boolean experimental) {
    String name = version.toString();
    return experimental ? new Path(new Path(root, EXPERIMENTS), name) : new Path(root, name);
  }

  public Path stagingArea() {
    return new Path(root, STAGING);
  }

  public Path commitMarker(String version) {
    return new Path(new Path(root, COMMITS), version);
  }

  public Path indexFile() {
    return new Path(root, INDEX);
  }

  public Path currentFile() {
    return new Path(root, CURRENT);
  }

  public Path pinFile() {
    return new Path(root, PIN);
  }

  /** Object stores have no atomic rename, so a release there is committed by a marker. */
  public boolean usesCommitMarkers() {
    try {
      return !StorageUris.isLocal(root) && ImmutableFileWriter.isObjectStore(fileSystem(), new Path(root, "x"));
    } catch (IOException e) {
      throw new InfrastructureException("cannot inspect " + root + ": " + e.getMessage(), e);
    }
  }

  /** The committed release of this version, in either area. */
  public Optional<ReleaseLocation> find(String version) {
    return find(Semver.parse(version));
  }

  public Optional<ReleaseLocation> find(Semver semver) {
    String version = semver.toString();
    for (boolean experimental : new boolean[] {false, true}) {
      Path dir = releaseDir(semver, experimental);
      if (isDirectory(dir) && (!usesCommitMarkers() || exists(commitMarker(version)))) {
        return Optional.of(new ReleaseLocation(version, dir, experimental));
      }
    }
    return Optional.empty();
  }

  /**
   * True when anything holds this version: a committed release, an uncommitted directory left by
   * an interrupted publish, or a commit marker. Such a version can never be published again.
   */
  public boolean occupied(String version) {
    return occupied(Semver.parse(version));
  }

  public boolean occupied(Semver version) {
    return exists(releaseDir(version, false)) || exists(releaseDir(version, true))
        || exists(commitMarker(version.toString()));
  }

  /** Every committed release in both areas, by version precedence. */
  public List<ReleaseEntry> list() {
    List<ReleaseEntry> out = new ArrayList<>();
    for (boolean experimental : new boolean[] {false, true}) {
      Path area = experimental ? new Path(root, EXPERIMENTS) : root;
      for (FileStatus s : listOrEmpty(area)) {
        String name = s.getPath().getName();
        if (s.isDirectory() && isVersion(name) && (!usesCommitMarkers() || exists(commitMarker(name)))) {
          out.add(entry(name, experimental));
        }
      }
    }
    out.sort(Comparator.comparing(ReleaseEntry::semver));
    return out;
  }

  /** The version in {@code CURRENT}, if one was ever set. */
  public Optional<String> current() {
    Optional<byte[]> bytes = new ControlFiles(conf).read(currentFile());
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    String text = new String(bytes.get(), StandardCharsets.UTF_8);
    String version = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    if (!isVersion(version) || !text.endsWith("\n")) {
      throw new IntegrityException(currentFile() + " does not hold one version line");
    }
    return Optional.of(version);
  }

  /** The metadata of a committed release; unreadable metadata is an integrity failure. */
  public ReleaseMetadata metadata(ReleaseLocation location) {
    Path file = new Path(location.dir(), ReleaseFiles.METADATA);
    byte[] bytes = new ControlFiles(conf).read(file)
        .orElseThrow(() -> new IntegrityException("release " + location.version() + " has no " + ReleaseFiles.METADATA));
    return codec.read(bytes, location.version() + "/" + ReleaseFiles.METADATA);
  }

  private ReleaseEntry entry(String version, boolean experimental) {
    ReleaseLocation location = new ReleaseLocation(version, releaseDir(version, experimental), experimental);
    ReleaseMetadata m = metadata(location);
    Path checksum = new Path(location.dir(), ReleaseFiles.CHECKSUM);
    String checksumSha256 = Sha256.hex(new ControlFiles(conf).read(checksum)
        .orElseThrow(() -> new IntegrityException("release " + version + " has no " + ReleaseFiles.CHECKSUM)));
    if (usesCommitMarkers()) {
      String marker = new String(new ControlFiles(conf).read(commitMarker(version)).orElseThrow(), StandardCharsets.UTF_8);
      if (!marker.equals(checksumSha256 + "\n")) {
        throw new IntegrityException(
            "release " + version + ": " + ReleaseFiles.CHECKSUM + " no longer matches its commit marker " + commitMarker(version));
      }
    }
    String path = experimental ? EXPERIMENTS + "/" + version : version;
    byte[] signature = new ControlFiles(conf).read(
        io.m31r.release.signing.SignatureFiles.under(root, version).signature()).orElse(null);
    return new ReleaseEntry(version, path, experimental, m.releaseType(), m.date(), m.trusted(), m.modelHash(),
        checksumSha256, signature == null ? null : Sha256.hex(signature));
  }

  static boolean isVersion(String name) {
    try {
      Semver.parse(name);
      return true;
    } catch (BadInputException e) {
      return false;
    }
  }

  private FileStatus[] listOrEmpty(Path dir) {
    try {
      return fileSystem().listStatus(dir);
    } catch (FileNotFoundException e) {
      return new FileStatus[0];
    } catch (IOException e) {
      throw new InfrastructureException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  boolean exists(Path p) {
    try {
      return fileSystem().exists(p);
    } catch (IOException e) {
      throw new InfrastructureException("cannot inspect " + p + ": " + e.getMessage(), e);
    }
  }

  private boolean isDirectory(Path p) {
    try {
      return fileSystem().getFileStatus(p).isDirectory();
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new InfrastructureException("cannot inspect " + p + ": " + e.getMessage(), e);
    }
  }
}
