package io.m31r.release.packaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.version.Semver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code metadata.json} bytes to and from {@link ReleaseMetadata}. Writing goes through
 * {@link CanonicalJson}, so one record has one byte form. Reading is strict: a release is
 * immutable, so any key this build does not know, or lacks, means the file is not one it wrote.
 */
public final class ReleaseMetadataCodec {

  private static final Set<String> TOP =
      Set.of(
          "architecture_compatibility", "config_hash", "dataset", "dataset_version", "date",
          "docs_version", "git_commit", "git_tag", "metrics_summary", "model_hash", "rebuild",
          "release_type", "tests", "tokenizer_version", "tool", "training_seed", "trusted", "version");
  private static final Set<String> DATASET = Set.of("root_sha256", "shard_count", "total_bytes", "uri");
  private static final Set<String> REBUILD = Set.of("checked", "command", "model_hash");
  // Written by every release since rebuild kinds exist, all four or none (older releases).
  private static final Set<String> REBUILD_KIND = Set.of("device", "key_hint", "kind", "record_sha256");
  private static final Set<String> TESTS = Set.of("tests", "failures", "errors", "skipped", "reports");
  private static final Set<String> TOOL = Set.of("name", "version");

  public byte[] write(ReleaseMetadata m) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("architecture_compatibility", m.architectureCompatibility());
    root.put("config_hash", m.configHash());
    ObjectNode dataset = root.putObject("dataset");
    dataset.put("root_sha256", m.dataset().rootSha256());
    dataset.put("shard_count", m.dataset().shardCount());
    dataset.put("total_bytes", m.dataset().totalBytes());
    dataset.put("uri", m.dataset().uri());
    if (m.dataset().manifestSha256() != null) {
      dataset.put("manifest_sha256", m.dataset().manifestSha256());
    }
    root.put("dataset_version", m.datasetVersion());
    root.put("date", m.date());
    root.put("docs_version", m.docsVersion());
    root.put("git_commit", m.gitCommit());
    root.put("git_tag", m.gitTag());
    root.set("metrics_summary", m.metricsSummary());
    root.put("model_hash", m.modelHash());
    ObjectNode rebuild = root.putObject("rebuild");
    rebuild.put("checked", m.rebuild().checked());
    rebuild.put("command", m.rebuild().command());
    rebuild.put("model_hash", m.rebuild().modelHash());
    if (m.rebuild().kind() != null) {
      rebuild.put("device", m.rebuild().device());
      rebuild.put("key_hint", m.rebuild().keyHint());
      rebuild.put("kind", m.rebuild().kind().word());
      rebuild.put("record_sha256", m.rebuild().recordSha256());
    }
    root.put("release_type", m.releaseType().name());
    ObjectNode tests = root.putObject("tests");
    tests.put("tests", m.tests().tests());
    tests.put("failures", m.tests().failures());
    tests.put("errors", m.tests().errors());
    tests.put("skipped", m.tests().skipped());
    tests.put("reports", m.tests().reports());
    root.put("tokenizer_version", m.tokenizerVersion());
    ObjectNode tool = root.putObject("tool");
    tool.put("name", m.tool().name());
    tool.put("version", m.tool().version());
    root.put("training_seed", m.trainingSeed());
    root.put("trusted", m.trusted());
    root.put("version", m.version().toString());
    return CanonicalJson.bytes(root);
  }

  /**
   * Parses and validates; every failure is an {@link IntegrityException} naming {@code sourceName}
   * and the key, because metadata that does not read back is a corrupted artifact.
   */
  public ReleaseMetadata read(byte[] bytes, String sourceName) {
    JsonNode root;
    try {
      root = CanonicalJson.mapper().readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new IntegrityException(sourceName + " is not valid JSON: " + oneLine(e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new IntegrityException(sourceName + " cannot be parsed: " + oneLine(e.getMessage()), e);
    }
    Reader r = new Reader(sourceName);
    r.keys("", root, TOP);
    JsonNode dataset = root.get("dataset");
    r.keys("dataset.", dataset, DATASET, Set.of("manifest_sha256"));
    JsonNode rebuild = root.get("rebuild");
    r.keys("rebuild.", rebuild, REBUILD, REBUILD_KIND);
    boolean kinds = rebuild.has("kind");
    for (String key : new TreeSet<>(REBUILD_KIND)) {
      if (rebuild.has(key) != kinds) {
        throw kinds ? new IntegrityException(sourceName + ": missing key rebuild." + key)
            : new IntegrityException(sourceName + ": key rebuild." + key + " without rebuild.kind");
      }
    }
    JsonNode tests = root.get("tests");
    r.keys("tests.", tests, TESTS);
    JsonNode tool = root.get("tool");
    r.keys("tool.", tool, TOOL);
    if (!root.get("metrics_summary").isObject()) {
      throw r.bad("metrics_summary", "must be a JSON object");
    }
    String type = r.text(root, "release_type");
    ReleaseType releaseType;
    try {
      releaseType = ReleaseType.valueOf(type);
    } catch (IllegalArgumentException e) {
      throw r.bad("release_type", "must be one of A, B, C, D: '" + type + "'");
    }
    ReleaseMetadata m;
    try {
      m =
          new ReleaseMetadata(
              r.text(root, "architecture_compatibility"),
              r.text(root, "config_hash"),
              new ReleaseMetadata.Dataset(
                  r.text(dataset, "root_sha256", "dataset."),
                  r.integer(dataset, "shard_count", "dataset."),
                  r.integer(dataset, "total_bytes", "dataset."),
                  r.text(dataset, "uri", "dataset."),
                  dataset.has("manifest_sha256") ? r.text(dataset, "manifest_sha256", "dataset.") : null),
              r.text(root, "date"),
              r.text(root, "docs_version"),
              r.text(root, "git_commit"),
              r.text(root, "git_tag"),
              (ObjectNode) root.get("metrics_summary"),
              r.text(root, "model_hash"),
              new ReleaseMetadata.Rebuild(
                  r.bool(rebuild, "checked", "rebuild."),
                  r.text(rebuild, "command", "rebuild."),
                  r.textOrNull(rebuild, "model_hash", "rebuild."),
                  kinds ? ReleaseMetadata.RebuildKind.parse(r.text(rebuild, "kind", "rebuild.")) : null,
                  kinds ? r.textOrNull(rebuild, "key_hint", "rebuild.") : null,
                  kinds ? r.textOrNull(rebuild, "record_sha256", "rebuild.") : null,
                  kinds ? r.textOrNull(rebuild, "device", "rebuild.") : null),
              releaseType,
              new ReleaseMetadata.Tests(
                  r.int32(tests, "tests", "tests."),
                  r.int32(tests, "failures", "tests."),
                  r.int32(tests, "errors", "tests."),
                  r.int32(tests, "skipped", "tests."),
                  r.int32(tests, "reports", "tests.")),
              r.text(root, "tokenizer_version"),
              new ReleaseMetadata.Tool(r.text(tool, "name", "tool."), r.text(tool, "version", "tool.")),
              r.integer(root, "training_seed", ""),
              r.bool(root, "trusted", ""),
              r.version(root));
    } catch (InvalidReleaseMetadataException e) {
      throw new IntegrityException(sourceName + ": " + e.getMessage(), e);
    }
    String datasetVersion = r.text(root, "dataset_version");
    if (!datasetVersion.equals(m.datasetVersion())) {
      throw r.bad("dataset_version", "must equal dataset.root_sha256 " + m.datasetVersion() + ", got " + datasetVersion);
    }
    return m;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ");
  }

  /** Strict typed access that names the file and the dotted key in every failure. */
  private static final class Reader {
    private final String source;

    Reader(String source) {
      this.source = source;
    }

    void keys(String prefix, JsonNode node, Set<String> expected) {
      keys(prefix, node, expected, Set.of());
    }

    /** As above; {@code optional} keys may be present or absent (added after the format's first releases). */
    void keys(String prefix, JsonNode node, Set<String> expected, Set<String> optional) {
      String where = prefix.isEmpty() ? "the top level" : prefix.substring(0, prefix.length() - 1);
      if (node == null || !node.isObject()) {
        throw new IntegrityException(source + ": " + where + " must be a JSON object");
      }
      List<String> unknown = new ArrayList<>();
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!expected.contains(name) && !optional.contains(name)) {
          unknown.add(prefix + name);
        }
      }
      if (!unknown.isEmpty()) {
        throw new IntegrityException(source + ": unknown key " + String.join(", ", unknown));
      }
      for (String key : new TreeSet<>(expected)) {
        if (!node.has(key)) {
          throw new IntegrityException(source + ": missing key " + prefix + key);
        }
      }
    }

    String text(JsonNode node, String key) {
      return text(node, key, "");
    }

    String text(JsonNode node, String key, String prefix) {
      JsonNode v = node.get(key);
      if (!v.isTextual()) {
        throw bad(prefix + key, "must be a string");
      }
      return v.textValue();
    }

    /** The release's version, parsed here once: inside the pipeline it travels as a {@link Semver}. */
    Semver version(JsonNode node) {
      String v = text(node, "version");
      if (v.isBlank()) {
        throw new IntegrityException(source + ": metadata version must be a non-empty string");
      }
      try {
        return Semver.parse(v);
      } catch (BadInputException e) {
        throw new IntegrityException(source + ": metadata version " + e.getMessage(), e);
      }
    }

    String textOrNull(JsonNode node, String key, String prefix) {
      JsonNode v = node.get(key);
      return v.isNull() ? null : text(node, key, prefix);
    }

    long integer(JsonNode node, String key, String prefix) {
      JsonNode v = node.get(key);
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw bad(prefix + key, "must be an integer");
      }
      return v.longValue();
    }

    int int32(JsonNode node, String key, String prefix) {
      JsonNode v = node.get(key);
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw bad(prefix + key, "must be a 32-bit integer");
      }
      return v.intValue();
    }

    boolean bool(JsonNode node, String key, String prefix) {
      JsonNode v = node.get(key);
      if (!v.isBoolean()) {
        throw bad(prefix + key, "must be true or false");
      }
      return v.booleanValue();
    }

    IntegrityException bad(String key, String problem) {
      return new IntegrityException(source + ": key " + key + " " + problem);
    }
  }
}
