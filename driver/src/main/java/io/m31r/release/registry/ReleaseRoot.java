package io.m31r.release.registry;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.hadoop.StorageUris;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseMetadataCodec;
import io.m31r.release.storage.ImmutableFileWriter;
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
 * and what is released in it. Versions share one namespace across the normal and experiments
 * areas, so a version names one release wherever it lives.
 *
 * <p>Released means: a publish record {@code .published/<version>.json} exists, its folder exists,
 * and the folder's {@code checksum.txt} has the digest the record names. A version-named folder
 * without a record ({@link #strays}) is not a release: a file dropped into the root cannot make
 * itself listed, verified or current. It still occupies its version, so nothing is ever published
 * over it. Releases published before records existed become releases again only through the
 * explicit {@code m31r adopt} ({@link Adoption}).
 */
public final class ReleaseRoot {
  public static final String EXPERIMENTS = "experiments";
  public static final String STAGING = ".staging";
  /** Commit markers of object-store releases published before publish records (read by adopt only). */
  public static final String COMMITS = ".commits";
  public static final String PUBLISHED = ".published";
  public static final String WITHDRAWN = ".withdrawn";
  public static final String LOCKS = ".locks";
  public static final String INDEX = "index.json";
  public static final String CURRENT = "CURRENT";
  public static final String PIN = "CURRENT.pin";
  private static final String JSON = ".json";

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

  public Path releaseDir(Semver version, boolean experimental) {
    String name = version.toString();
    return experimental ? new Path(new Path(root, EXPERIMENTS), name) : new Path(root, name);
  }

  public Path stagingArea() {
    return new Path(root, STAGING);
  }

  /** The legacy object-store commit marker of a release published before publish records. */
  public Path commitMarker(Semver version) {
    return new Path(new Path(root, COMMITS), version.toString());
  }

  public Path publishRecordFile(Semver version) {
    return new Path(new Path(root, PUBLISHED), version + JSON);
  }

  public Path withdrawalFile(Semver version) {
    return new Path(new Path(root, WITHDRAWN), version + JSON);
  }

  public Path leaseFile(Semver version) {
    return new Path(new Path(root, LOCKS), version.toString());
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

  /** Object stores have no atomic rename: a release there appears file by file, committed by its record. */
  public boolean usesCommitMarkers() {
    try {
      return !StorageUris.isLocal(root) && ImmutableFileWriter.isObjectStore(fileSystem(), new Path(root, "x"));
    } catch (IOException e) {
      throw new InfrastructureException("cannot inspect " + root + ": " + e.getMessage(), e);
    }
  }

  /** The publish record of a version, parsed strictly; a record naming another version is an integrity failure. */
  public Optional<PublishRecord> record(Semver version) {
    Path file = publishRecordFile(version);
    Optional<byte[]> bytes = new ControlFiles(conf).read(file);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    PublishRecord r = PublishRecord.parse(bytes.get(), file.toString());
    if (!r.version().equals(version)) {
      throw new IntegrityException(file + " names version " + r.version());
    }
    return Optional.of(r);
  }

  /** The release of this version, in either area: only a recorded one. */
  public Optional<ReleaseLocation> find(Semver version) {
    Optional<PublishRecord> r = record(version);
    if (r.isEmpty()) {
      return Optional.empty();
    }
    Path dir = releaseDir(version, r.get().experimental());
    if (!isDirectory(dir)) {
      throw new IntegrityException("publish record " + publishRecordFile(version) + " names " + dir + ", which does not exist");
    }
    return Optional.of(new ReleaseLocation(version, dir, r.get().experimental()));
  }

  /** A folder of this version without a publish record: not a release, whatever it holds. */
  public Optional<ReleaseLocation> unrecorded(Semver version) {
    if (record(version).isPresent()) {
      return Optional.empty();
    }
    for (boolean experimental : new boolean[] {false, true}) {
      Path dir = releaseDir(version, experimental);
      if (isDirectory(dir)) {
        return Optional.of(new ReleaseLocation(version, dir, experimental));
      }
    }
    return Optional.empty();
  }

  /** The answer {@code verify}, {@code rollback} and {@code yank} give for a version that is no release. */
  public RuntimeException notARelease(Semver version) {
    Optional<ReleaseLocation> stray = unrecorded(version);
    if (stray.isPresent()) {
      return new IntegrityException(
          stray.get().dir() + " has no publish record (" + publishRecordFile(version) + "): not a release."
              + " A release published before records existed is adopted with 'm31r adopt " + version + "'");
    }
    return new BadInputException("no release " + version + " under " + root);
  }

  /**
   * True when anything holds this version: a release, a folder without a record (an interrupted
   * publish, a folder dropped in, or a release of the old format), a legacy commit marker or a
   * record. Such a version is never published over.
   */
  public boolean occupied(Semver version) {
    return exists(releaseDir(version, false)) || exists(releaseDir(version, true)) || exists(commitMarker(version))
        || exists(publishRecordFile(version));
  }

  /**
   * The metadata of the newest release below {@code version} outside experiments, among
   * {@code listed} (from {@link #list()}): the release a new one is gated and compared against.
   */
  public Optional<ReleaseMetadata> newestReleaseBefore(List<ReleaseEntry> listed, Semver version) {
    return listed.stream()
        .filter(e -> e.version().compareTo(version) < 0 && !e.experimental())
        .max(Comparator.comparing(ReleaseEntry::version))
        .flatMap(e -> find(e.version()))
        .map(this::metadata);
  }

  /** Every release in both areas, by version precedence, derived from the publish records. */
  public List<ReleaseEntry> list() {
    List<ReleaseEntry> out = new ArrayList<>();
    for (Semver version : recordedVersions()) {
      out.add(entry(version, record(version).orElseThrow()));
    }
    out.sort(Comparator.comparing(ReleaseEntry::version));
    return out;
  }

  /** Version-named folders in either area that have no publish record, by version precedence. */
  public List<ReleaseLocation> strays() {
    List<Semver> recorded = recordedVersions();
    List<ReleaseLocation> out = new ArrayList<>();
    for (boolean experimental : new boolean[] {false, true}) {
      Path area = experimental ? new Path(root, EXPERIMENTS) : root;
      for (FileStatus s : listOrEmpty(area)) {
        String name = s.getPath().getName();
        if (s.isDirectory() && isVersion(name) && !recorded.contains(Semver.parse(name))) {
          out.add(new ReleaseLocation(Semver.parse(name), s.getPath(), experimental));
        }
      }
    }
    out.sort(Comparator.comparing(ReleaseLocation::version));
    return out;
  }

  /** The versions named by the record files: read from disk, so parsed here, once each. */
  private List<Semver> recordedVersions() {
    List<Semver> out = new ArrayList<>();
    for (FileStatus s : listOrEmpty(new Path(root, PUBLISHED))) {
      String name = s.getPath().getName();
      if (name.startsWith(".")) {
        continue; // a writer's temporary file, never a record
      }
      String version = name.endsWith(JSON) ? name.substring(0, name.length() - JSON.length()) : "";
      if (!s.isFile() || !isVersion(version)) {
        throw new IntegrityException(s.getPath() + " is not a publish record (<version>.json)");
      }
      out.add(Semver.parse(version));
    }
    return out;
  }

  /** The withdrawal of a version by {@code m31r yank}, if any. */
  public Optional<Withdrawal> withdrawal(Semver version) {
    Path file = withdrawalFile(version);
    Optional<Withdrawal> w = new ControlFiles(conf).read(file).map(b -> Withdrawal.parse(b, file.toString()));
    if (w.isPresent() && !w.get().version().equals(version.toString())) {
      throw new IntegrityException(file + " names version " + w.get().version());
    }
    return w;
  }

  /** The version in {@code CURRENT}, if one was ever set. */
  public Optional<Semver> current() {
    Optional<byte[]> bytes = new ControlFiles(conf).read(currentFile());
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    String text = new String(bytes.get(), StandardCharsets.UTF_8);
    String version = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    if (!isVersion(version) || !text.endsWith("\n")) {
      throw new IntegrityException(currentFile() + " does not hold one version line");
    }
    return Optional.of(Semver.parse(version));
  }

  /** The metadata of a release folder; unreadable metadata is an integrity failure. */
  public ReleaseMetadata metadata(ReleaseLocation location) {
    Path file = new Path(location.dir(), ReleaseFiles.METADATA);
    byte[] bytes = new ControlFiles(conf).read(file)
        .orElseThrow(() -> new IntegrityException("release " + location.version() + " has no " + ReleaseFiles.METADATA));
    return codec.read(bytes, location.version() + "/" + ReleaseFiles.METADATA);
  }

  /** SHA-256 of a folder's {@code checksum.txt}. */
  public String checksumSha256(ReleaseLocation location) {
    Path checksum = new Path(location.dir(), ReleaseFiles.CHECKSUM);
    return Sha256.hex(new ControlFiles(conf).read(checksum)
        .orElseThrow(() -> new IntegrityException("release " + location.version() + " has no " + ReleaseFiles.CHECKSUM)));
  }

  private ReleaseEntry entry(Semver version, PublishRecord record) {
    ReleaseLocation location = find(version).orElseThrow();
    String checksumSha256 = checksumSha256(location);
    if (!checksumSha256.equals(record.checksumSha256())) {
      throw new IntegrityException(
          "release " + version + ": " + ReleaseFiles.CHECKSUM + " has sha256 " + checksumSha256 + ", its publish record "
              + record.checksumSha256());
    }
    ReleaseMetadata m = metadata(location);
    if (m.releaseType() != record.type()) {
      throw new IntegrityException("release " + version + ": metadata says type " + m.releaseType() + ", its publish record " + record.type());
    }
    String path = location.experimental() ? EXPERIMENTS + "/" + version : version.toString();
    return new ReleaseEntry(
        version, path, location.experimental(), m.releaseType(), m.date(), m.trusted(), m.modelHash(), checksumSha256,
        withdrawal(version).map(Withdrawal::reason), record.sidecars());
  }

  static boolean isVersion(String name) {
    try {
      Semver.parse(name);
      return true;
    } catch (BadInputException e) {
      return false;
    }
  }

  FileStatus[] listOrEmpty(Path dir) {
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
