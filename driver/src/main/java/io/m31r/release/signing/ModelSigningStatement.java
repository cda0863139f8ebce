package io.m31r.release.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.json.CanonicalJson;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The in-toto statement inside a model-signing bundle: one subject (the folder's name, digest =
 * SHA-256 over the concatenated raw resource digests), predicate {@code https://model_signing/signature/v1.0}
 * with the {@code files} serialization and one resource per file. See docs/signing.md for the
 * source of each field in sigstore/model-transparency.
 *
 * @param resources relative path to hex SHA-256, in the order they are listed
 */
public record ModelSigningStatement(
    String subjectName, Map<String, String> resources, boolean allowSymlinks, List<String> ignorePaths) {
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  public static final String PREDICATE_TYPE = "https://model_signing/signature/v1.0";
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public ModelSigningStatement {
    resources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(resources));
    ignorePaths = List.copyOf(ignorePaths);
  }

  /** A statement over a folder's digests, resources in model_signing's order. */
  public static ModelSigningStatement of(String subjectName, Map<String, String> digests, List<String> ignorePaths) {
    Map<String, String> sorted = new java.util.TreeMap<>(ResourceOrder.COMPARATOR);
    sorted.putAll(digests);
    return new ModelSigningStatement(subjectName, sorted, false, ignorePaths);
  }

  /** SHA-256 over the raw 32-byte digests in listed order. */
  public String rootDigest() {
    MessageDigest md = Sha256.newDigest();
    resources.values().forEach(d -> md.update(HexFormat.of().parseHex(d)));
    return HexFormat.of().formatHex(md.digest());
  }

  /** The payload bytes, field order as model_signing 1.1 writes them. */
  public byte[] payload() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode st = f.objectNode();
    st.put("_type", STATEMENT_TYPE);
    ObjectNode subject = st.putArray("subject").addObject();
    subject.put("name", subjectName);
    subject.putObject("digest").put("sha256", rootDigest());
    st.put("predicateType", PREDICATE_TYPE);
    ObjectNode predicate = st.putObject("predicate");
    ArrayNode res = predicate.putArray("resources");
    resources.forEach((name, digest) -> {
      ObjectNode r = res.addObject();
      r.put("algorithm", "sha256");
      r.put("name", name);
      r.put("digest", digest);
    });
    ObjectNode ser = predicate.putObject("serialization");
    ser.put("allow_symlinks", allowSymlinks);
    ser.put("method", "files");
    ser.put("hash_type", "sha256");
    if (!ignorePaths.isEmpty()) {
      ArrayNode ig = ser.putArray("ignore_paths");
      ignorePaths.forEach(ig::add);
    }
    return StatementJson.render(st);
  }

  /**
   * Reads a signed payload the way {@code model_signing verify} checks it: statement type,
   * predicate type, exactly one subject whose digest is recomputed from the resources, the
   * {@code files} method with SHA-256. Anything else is refused with what was found.
   */
  public static ModelSigningStatement parse(byte[] payload, String source) {
    JsonNode st;
    try {
      st = CanonicalJson.mapper().readTree(payload);
    } catch (IOException e) {
      throw new SignatureInvalidException(source + ": the signed payload is not JSON");
    }
    if (st == null || !STATEMENT_TYPE.equals(st.path("_type").asText(null))) {
      throw new SignatureInvalidException(source + ": signed statement _type is not " + STATEMENT_TYPE);
    }
    if (!PREDICATE_TYPE.equals(st.path("predicateType").asText(null))) {
      throw new SignatureInvalidException(
          source + ": predicateType " + st.path("predicateType").asText("(none)") + " is not " + PREDICATE_TYPE);
    }
    JsonNode subjects = st.path("subject");
    if (!subjects.isArray() || subjects.size() != 1) {
      throw new SignatureInvalidException(source + ": the statement must have exactly one subject");
    }
    JsonNode ser = st.path("predicate").path("serialization");
    if (!"files".equals(ser.path("method").asText(null)) || !"sha256".equals(ser.path("hash_type").asText(null))) {
      throw new SignatureInvalidException(
          source + ": serialization " + ser + " is not supported (method 'files' with hash_type 'sha256' only)");
    }
    Map<String, String> resources = new LinkedHashMap<>();
    for (JsonNode r : st.path("predicate").path("resources")) {
      String name = r.path("name").asText(null);
      String digest = r.path("digest").asText(null);
      if (name == null || !"sha256".equals(r.path("algorithm").asText(null)) || digest == null || !HEX64.matcher(digest).matches()) {
        throw new SignatureInvalidException(source + ": resource " + r + " is not {name, algorithm sha256, hex digest}");
      }
      if (resources.put(name, digest) != null) {
        throw new SignatureInvalidException(source + ": resource " + name + " is listed twice");
      }
    }
    List<String> ignore = new ArrayList<>();
    ser.path("ignore_paths").forEach(n -> ignore.add(n.asText()));
    ModelSigningStatement parsed = new ModelSigningStatement(
        subjects.get(0).path("name").asText(""), resources, ser.path("allow_symlinks").asBoolean(false), ignore);
    String claimed = subjects.get(0).path("digest").path("sha256").asText("");
    if (!claimed.equals(parsed.rootDigest())) {
      throw new SignatureInvalidException(source + ": subject digest " + claimed + " is not the digest of the listed resources");
    }
    return parsed;
  }
}
