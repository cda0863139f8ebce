package io.m31r.release.freeze;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.BindingProblem;
import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.formats.StrictMappers;
import io.m31r.release.json.CanonicalJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The manifest's JSON form (canonical: sorted keys, UTF-8, final newline) and its strict reader.
 * The file is flat where {@link DatasetManifest} is nested (the selection's keys sit at the top, a
 * shard's counts beside its digest), so {@link Document} is the annotated schema and this class only
 * moves values between the two shapes. A manifest whose totals or root digest disagree with its own
 * shard list is corrupt (exit 4); one that does not fit the schema is bad input (exit 3).
 */
public final class ManifestCodec {
  private static final ObjectMapper BINDING = StrictMappers.jsonBinding();
  private static final Set<String> COUNTS = Set.of("records", "tokens");

  private ManifestCodec() {}

  /** The file's top level. Totals are written for readers without this tool, and checked on read. */
  record Document(
      @JsonProperty(value = "format_version", required = true) int formatVersion,
      @JsonProperty(value = "dataset_uri", required = true) String datasetUri,
      @JsonProperty("include") @JsonInclude(JsonInclude.Include.NON_NULL) String include,
      @JsonProperty(value = "follow_symlinks", required = true) boolean followSymlinks,
      @JsonProperty(value = "shard_count", required = true) int shardCount,
      @JsonProperty(value = "total_bytes", required = true) long totalBytes,
      @JsonProperty(value = "root_sha256", required = true) String rootSha256,
      @JsonProperty(value = "shards", required = true) List<Entry> shards) {
    Document {
      count("total_bytes", totalBytes);
    }
  }

  /** One element of {@code shards}; the counts are absent where the shard's format has none. */
  record Entry(
      @JsonProperty(value = "path", required = true) String path,
      @JsonProperty(value = "size", required = true) long size,
      @JsonProperty(value = "sha256", required = true) String sha256,
      @JsonProperty("records") @JsonInclude(JsonInclude.Include.NON_NULL) Long records,
      @JsonProperty("tokens") @JsonInclude(JsonInclude.Include.NON_NULL) Long tokens) {
    Entry {
      count("size", size);
      if (records != null) {
        count("records", records);
      }
      if (tokens != null) {
        count("tokens", tokens);
      }
    }

    Map<String, Long> counts() {
      Map<String, Long> counts = new TreeMap<>();
      if (records != null) {
        counts.put("records", records);
      }
      if (tokens != null) {
        counts.put("tokens", tokens);
      }
      return counts;
    }
  }

  /** A value the schema's types allow but the format does not; the key is relative to its object. */
  private static final class Refused extends IllegalArgumentException {
    final String key;

    Refused(String key, String must) {
      super(must);
      this.key = key;
    }
  }

  private static void count(String key, long value) {
    if (value < 0) {
      throw new Refused(key, "a non-negative integer");
    }
  }

  public static byte[] encode(DatasetManifest m) {
    List<Entry> shards = new ArrayList<>();
    for (DatasetManifest.Shard s : m.shards()) {
      if (!COUNTS.containsAll(s.counts().keySet())) {
        // An inspector with a new count needs a new format version, not a silently dropped value.
        throw new IllegalArgumentException("format " + m.formatVersion() + " has no count among " + s.counts().keySet());
      }
      shards.add(new Entry(s.path(), s.size(), s.sha256(), s.counts().get("records"), s.counts().get("tokens")));
    }
    DatasetSelection sel = m.selection();
    return CanonicalJson.bytes(new Document(m.formatVersion(), sel.datasetUri(), sel.include(),
        sel.followSymlinks(), m.shardCount(), m.totalBytes(), m.rootSha256(), shards));
  }

  public static DatasetManifest decode(String source, byte[] json) {
    String where = "manifest " + source + ": ";
    JsonNode root;
    try {
      root = CanonicalJson.mapper().readTree(json);
    } catch (IOException e) {
      throw new BadInputException(where + "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new BadInputException(where + "not a JSON object");
    }
    // Before the schema: a later format's keys are not "unknown", they are another version's.
    JsonNode version = root.get("format_version");
    if (version != null && version.isIntegralNumber()
        && !(version.canConvertToInt() && version.intValue() == DatasetManifest.FORMAT_VERSION)) {
      throw new BadInputException(where + "format_version " + version.asText() + " is not supported");
    }
    List<String> unknown = StrictMappers.unknownKeys(BINDING, root, Document.class);
    if (!unknown.isEmpty()) {
      throw new BadInputException(where + "unknown key " + unknown.get(0));
    }
    String nullAt = firstNull(root, "");
    if (nullAt != null) {
      // Not "absent": the writer leaves an unset value out and never writes null.
      throw new BadInputException(where + nullAt + " is null");
    }
    Document doc;
    try {
      doc = BINDING.treeToValue(root, Document.class);
    } catch (JsonProcessingException e) {
      throw new BadInputException(where + refusal(BindingProblem.of(e)));
    }
    List<DatasetManifest.Shard> shards = new ArrayList<>();
    for (int i = 0; i < doc.shards().size(); i++) {
      Entry e = doc.shards().get(i);
      try {
        shards.add(new DatasetManifest.Shard(e.path(), e.size(), e.sha256(), e.counts()));
      } catch (IllegalArgumentException ex) {
        throw new IntegrityException(where + "shards[" + i + "]: " + ex.getMessage());
      }
      if (i > 0 && Sha256sumListing.compareUtf8(shards.get(i - 1).path(), e.path()) >= 0) {
        throw new IntegrityException(where + "shards are not sorted or not unique at " + e.path());
      }
    }
    DatasetSelection selection;
    try {
      selection = new DatasetSelection(doc.datasetUri(), doc.include(), doc.followSymlinks());
    } catch (IllegalArgumentException e) {
      throw new BadInputException(where + "dataset_uri: " + e.getMessage());
    }
    DatasetManifest m = new DatasetManifest(doc.formatVersion(), selection, doc.rootSha256(), shards);
    if (shards.isEmpty()
        || doc.shardCount() != shards.size()
        || doc.totalBytes() != m.totalBytes()
        || !DatasetManifest.rootOf(shards).equals(m.rootSha256())) {
      throw new IntegrityException(where
          + "shard_count, total_bytes or root_sha256 disagree with its shard list (the manifest is corrupt or was edited)");
    }
    return m;
  }

  private static String firstNull(JsonNode node, String path) {
    if (node.isNull()) {
      return path;
    }
    for (int i = 0; node.isArray() && i < node.size(); i++) {
      String found = firstNull(node.get(i), path + "[" + i + "]");
      if (found != null) {
        return found;
      }
    }
    for (var it = node.fields(); node.isObject() && it.hasNext(); ) {
      var field = it.next();
      String found = firstNull(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static String refusal(BindingProblem p) {
    return switch (p.kind()) {
      case UNKNOWN_KEY -> "unknown key " + p.path();
      case MISSING_KEY -> "missing " + p.path();
      // Every long in the format is a size or a count.
      case WRONG_TYPE -> p.path() + " must be "
          + (p.expected() == long.class || p.expected() == Long.class ? "a non-negative integer" : p.expectedJsonName());
      case REFUSED -> p.refusal() instanceof Refused r
          ? p.at(r.key) + " must be " + r.getMessage()
          : (p.path().isEmpty() ? "" : p.path() + ": ") + p.refusal().getMessage();
      case OTHER -> (p.path().isEmpty() ? "" : p.path() + ": ") + p.detail();
    };
  }
}
