package io.m31r.release.reuse;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.storage.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.SparkContext;

/**
 * Results of expensive work (a model's generated samples, a rebuild's verdict) kept on the
 * driver's disk, keyed by the digests of everything they depend on, so that a rerun after a late
 * failure (validate, sign, tag, publish) does not redo hours of work. An entry is written only once
 * its work completed, read back only if its recorded inputs equal the current ones and its payload
 * still has the digest it was written with, and the entries a run used are removed when it
 * publishes. A failed run keeps them for its rerun.
 *
 * <p>Entries are not signed: the area must be as well protected as this tool's installation. It
 * is made owner-only, and one that another user owns or others may write is not used at all.
 */
public final class ReuseArea {
  /** Spark setting: the folder; empty turns reuse off. */
  public static final String DIR_KEY = "spark.m31r.workArea";

  static final int FORMAT = 1;

  private final Path dir;
  private final String toolVersion;
  private final List<Path> touched = new ArrayList<>();

  private ReuseArea(Path dir, String toolVersion) {
    this.dir = dir;
    this.toolVersion = toolVersion;
  }

  /** The default folder: owner-only, per user, beside other temporary files. */
  static Path defaultDir() {
    return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().resolve("m31r-work-" + System.getProperty("user.name", "user"));
  }

  /**
   * The area this Spark application uses, or empty when reuse is turned off (silently: it was
   * asked for) or the folder is not safe to trust (saying why).
   */
  public static Optional<ReuseArea> open(SparkContext sc, String toolVersion, Consumer<String> whyNot) {
    String configured = sc.conf().get(DIR_KEY, defaultDir().toString());
    if (configured.isBlank()) {
      return Optional.empty();
    }
    return at(Path.of(configured).toAbsolutePath(), toolVersion, whyNot);
  }

  public static Optional<ReuseArea> at(Path dir, String toolVersion, Consumer<String> whyNot) {
    try {
      if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir.getParent());
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        whyNot.accept("off: " + dir + " is not a folder");
        return Optional.empty();
      }
      String owner = Files.getOwner(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName();
      String me = System.getProperty("user.name");
      if (!owner.equals(me)) {
        whyNot.accept("off: " + dir + " belongs to " + owner + ", not to " + me);
        return Optional.empty();
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
        whyNot.accept("off: others may write to " + dir + " (" + PosixFilePermissions.toString(perms) + ")");
        return Optional.empty();
      }
    } catch (IOException | UnsupportedOperationException e) {
      whyNot.accept("off: " + dir + ": " + e.getMessage());
      return Optional.empty();
    }
    return Optional.of(new ReuseArea(dir, toolVersion));
  }

  public Path dir() {
    return dir;
  }

  /**
   * The payload of the entry for these inputs, verified, or empty with why not (no entry is not a
   * reason: then nothing is said).
   *
   * @param inputs every value the result depends on; the tool's version is added
   */
  public Optional<JsonNode> find(String kind, Map<String, Object> inputs, Consumer<String> whyNot) {
    Map<String, Object> all = withTool(inputs);
    Path file = file(kind, all);
    if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    touched.add(file);
    JsonNode entry;
    try {
      entry = CanonicalJson.mapper().readTree(file.toFile());
    } catch (IOException e) {
      whyNot.accept(file.getFileName() + " is not readable JSON: " + e.getMessage().lines().findFirst().orElse(""));
      return Optional.empty();
    }
    if (entry == null || entry.path("format").asInt() != FORMAT || !kind.equals(entry.path("kind").asText())) {
      whyNot.accept(file.getFileName() + " is not a " + kind + " entry of format " + FORMAT);
      return Optional.empty();
    }
    if (!Sha256.hex(CanonicalJson.bytes(entry.path("inputs"))).equals(Sha256.hex(CanonicalJson.bytes(all)))) {
      whyNot.accept(file.getFileName() + " was made from other inputs");
      return Optional.empty();
    }
    JsonNode payload = entry.path("payload");
    if (payload.isMissingNode() || !Sha256.hex(CanonicalJson.bytes(payload)).equals(entry.path("payload_sha256").asText())) {
      whyNot.accept(file.getFileName() + " was changed after it was written (payload digest differs)");
      return Optional.empty();
    }
    return Optional.of(payload);
  }

  /** Keeps {@code payload} for these inputs, replacing any entry; written whole or not at all. */
  public void keep(String kind, Map<String, Object> inputs, Object payload) {
    Map<String, Object> all = withTool(inputs);
    JsonNode tree = CanonicalJson.mapper().valueToTree(payload);
    Map<String, Object> entry = new TreeMap<>();
    entry.put("format", FORMAT);
    entry.put("kind", kind);
    entry.put("inputs", all);
    entry.put("payload", tree);
    entry.put("payload_sha256", Sha256.hex(CanonicalJson.bytes(tree)));
    Path file = file(kind, all);
    AtomicFiles.write(file, CanonicalJson.bytes(entry));
    touched.add(file);
  }

  /** After a publish: the entries this run read or wrote are not needed again. */
  public void forgetTouched() {
    for (Path f : touched) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        throw new InfrastructureException("cannot remove the reused-work entry " + f + ": " + e.getMessage(), e);
      }
    }
    touched.clear();
  }

  private Map<String, Object> withTool(Map<String, Object> inputs) {
    Map<String, Object> all = new TreeMap<>(inputs);
    all.put("tool_version", toolVersion);
    return all;
  }

  private Path file(String kind, Map<String, Object> all) {
    return dir.resolve(kind + "-" + Sha256.hex(CanonicalJson.bytes(all)) + ".json");
  }
}
