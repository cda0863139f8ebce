package io.m31r.release.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.version.Semver;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code <root>/.published/<version>.json}: what makes a folder under a release root a release.
 * Publish writes it right after the folder is in place (on object stores it is the commit point);
 * {@link ReleaseIndex} and {@code list}, {@code verify}, {@code rollback} derive everything from
 * these records, so a folder dropped into the root without one is not a release.
 *
 * @param checksumSha256 SHA-256 of the release's {@code checksum.txt}: the whole release's identity
 * @param publishedAt the release's own date (the commit time), never the clock, so a rerun
 *     writing the record again produces the same bytes
 * @param sidecars root-relative path to SHA-256 of every sidecar of this version that existed at
 *     publish time ({@link Sidecars})
 */
public record PublishRecord(
    Semver version,
    ReleaseType type,
    boolean experimental,
    String checksumSha256,
    String publishedAt,
    Map<String, String> sidecars) {
  public static final int FORMAT = 1;
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Set<String> KEYS =
      Set.of("checksum_sha256", "experimental", "format", "published_at", "sidecars", "type", "version");

  public PublishRecord {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(type, "type");
    if (!SHA256.matcher(checksumSha256).matches()) {
      throw new BadInputException("publish record " + version + ": checksum_sha256 is not 64 lower-case hex digits");
    }
    if (publishedAt == null || publishedAt.isBlank()) {
      throw new BadInputException("publish record " + version + ": published_at missing");
    }
    if ((type == ReleaseType.D) != experimental) {
      throw new BadInputException("publish record " + version + ": type D and only type D is experimental");
    }
    sidecars = Map.copyOf(new TreeMap<>(sidecars));
    for (Map.Entry<String, String> e : sidecars.entrySet()) {
      if (!Sidecars.isSidecarOf(e.getKey(), version) || !SHA256.matcher(e.getValue()).matches()) {
        throw new BadInputException("publish record " + version + ": bad sidecar entry " + e.getKey());
      }
    }
  }

  public byte[] bytes() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("checksum_sha256", checksumSha256);
    n.put("experimental", experimental);
    n.put("format", FORMAT);
    n.put("published_at", publishedAt);
    ObjectNode side = n.putObject("sidecars");
    new TreeMap<>(sidecars).forEach(side::put);
    n.put("type", type.name());
    n.put("version", version.toString());
    return CanonicalJson.bytes(n);
  }

  /** Strict: anything but a record this build writes is an integrity failure naming the file. */
  public static PublishRecord parse(byte[] bytes, String where) {
    JsonNode n;
    try {
      n = CanonicalJson.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new IntegrityException(where + " is not JSON: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IntegrityException(where + " is not a JSON object");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw new IntegrityException(where + ": unknown key '" + k + "'");
      }
    }
    if (n.path("format").asInt(-1) != FORMAT || !n.path("format").isInt()) {
      throw new IntegrityException(where + ": format must be " + FORMAT);
    }
    try {
      Map<String, String> side = new TreeMap<>();
      JsonNode s = n.get("sidecars");
      if (s == null || !s.isObject()) {
        throw new IntegrityException(where + ": sidecars must be an object");
      }
      s.fields().forEachRemaining(e -> side.put(e.getKey(), text(e.getValue(), where, "sidecars." + e.getKey())));
      JsonNode exp = n.get("experimental");
      if (exp == null || !exp.isBoolean()) {
        throw new IntegrityException(where + ": experimental must be a boolean");
      }
      PublishRecord r = new PublishRecord(
          Semver.parse(text(n.get("version"), where, "version")),
          ReleaseType.parse(text(n.get("type"), where, "type")),
          exp.booleanValue(),
          text(n.get("checksum_sha256"), where, "checksum_sha256"),
          text(n.get("published_at"), where, "published_at"),
          side);
      if (!java.util.Arrays.equals(r.bytes(), bytes)) {
        throw new IntegrityException(where + " is not in canonical form");
      }
      return r;
    } catch (BadInputException e) {
      throw new IntegrityException(where + ": " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode v, String where, String key) {
    if (v == null || !v.isTextual()) {
      throw new IntegrityException(where + ": " + key + " must be a string");
    }
    return v.textValue();
  }
}
