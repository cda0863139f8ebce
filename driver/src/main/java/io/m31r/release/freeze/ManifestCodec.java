package io.m31r.release.freeze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.json.CanonicalJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The manifest's JSON form (canonical: sorted keys, UTF-8, final newline) and its strict reader.
 * A manifest whose totals or root digest disagree with its own shard list is corrupt (exit 4).
 */
public final class ManifestCodec {
  private static final Set<String> TOP_KEYS =
      Set.of("format_version", "dataset_uri", "include", "follow_symlinks", "shard_count",
          "total_bytes", "root_sha256", "shards");
  private static final Set<String> SHARD_KEYS = Set.of("path", "size", "sha256", "records", "tokens");

  private ManifestCodec() {}

  public static byte[] encode(DatasetManifest m) {
    ObjectNode root = CanonicalJson.mapper().createObjectNode();
    root.put("format_version", m.formatVersion());
    root.put("dataset_uri", m.selection().datasetUri());
    if (m.selection().include() != null) {
      root.put("include", m.selection().include());
    }
    root.put("follow_symlinks", m.selection().followSymlinks());
    root.put("shard_count", m.shardCount());
    root.put("total_bytes", m.totalBytes());
    root.put("root_sha256", m.rootSha256());
    var shards = root.putArray("shards");
    for (DatasetManifest.Shard s : m.shards()) {
      ObjectNode n = shards.addObject();
      n.put("path", s.path());
      n.put("size", s.size());
      n.put("sha256", s.sha256());
      s.counts().forEach(n::put);
    }
    return CanonicalJson.bytes(root);
  }

  public static DatasetManifest decode(String source, byte[] json) {
    JsonNode root;
    try {
      root = CanonicalJson.mapper().readTree(json);
    } catch (IOException e) {
      throw new BadInputException("manifest " + source + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new BadInputException("manifest " + source + ": not a JSON object");
    }
    checkKeys(source, "", root, TOP_KEYS);
    int version = intField(source, root, "format_version");
    if (version != DatasetManifest.FORMAT_VERSION) {
      throw new BadInputException("manifest " + source + ": format_version " + version + " is not supported");
    }
    JsonNode shardsNode = root.get("shards");
    if (shardsNode == null || !shardsNode.isArray()) {
      throw new BadInputException("manifest " + source + ": shards must be a list");
    }
    List<DatasetManifest.Shard> shards = new ArrayList<>();
    for (int i = 0; i < shardsNode.size(); i++) {
      JsonNode s = shardsNode.get(i);
      String where = "shards[" + i + "]";
      if (!s.isObject()) {
        throw new BadInputException("manifest " + source + ": " + where + " is not an object");
      }
      checkKeys(source, where + ".", s, SHARD_KEYS);
      Map<String, Long> counts = new TreeMap<>();
      for (String k : List.of("records", "tokens")) {
        if (s.has(k)) {
          counts.put(k, longField(source, s, k, where));
        }
      }
      try {
        shards.add(new DatasetManifest.Shard(
            textField(source, s, "path", where), longField(source, s, "size", where),
            textField(source, s, "sha256", where), counts));
      } catch (IllegalArgumentException e) {
        throw new IntegrityException("manifest " + source + ": " + where + ": " + e.getMessage());
      }
    }
    for (int i = 1; i < shards.size(); i++) {
      if (Sha256sumListing.compareUtf8(shards.get(i - 1).path(), shards.get(i).path()) >= 0) {
        throw new IntegrityException(
            "manifest " + source + ": shards are not sorted or not unique at " + shards.get(i).path());
      }
    }
    JsonNode include = root.get("include");
    DatasetSelection selection =
        new DatasetSelection(
            textField(source, root, "dataset_uri", ""),
            include == null ? null : include.asText(),
            boolField(source, root, "follow_symlinks"));
    DatasetManifest m =
        new DatasetManifest(version, selection, textField(source, root, "root_sha256", ""), shards);
    TreeMap<String, String> listing = Sha256sumListing.newSortedMap();
    shards.forEach(s -> listing.put(s.path(), s.sha256()));
    if (shards.isEmpty()
        || intField(source, root, "shard_count") != shards.size()
        || longField(source, root, "total_bytes", "") != m.totalBytes()
        || !Sha256sumListing.rootDigest(listing).equals(m.rootSha256())) {
      throw new IntegrityException(
          "manifest " + source + ": shard_count, total_bytes or root_sha256 disagree with its shard list"
              + " (the manifest is corrupt or was edited)");
    }
    return m;
  }

  private static void checkKeys(String source, String prefix, JsonNode node, Set<String> allowed) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!allowed.contains(n)) {
        throw new BadInputException("manifest " + source + ": unknown key " + prefix + n);
      }
    }
  }

  private static JsonNode required(String source, JsonNode node, String key, String where) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      throw new BadInputException("manifest " + source + ": missing " + (where.isEmpty() ? "" : where + ".") + key);
    }
    return v;
  }

  private static int intField(String source, JsonNode node, String key) {
    JsonNode v = required(source, node, key, "");
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new BadInputException("manifest " + source + ": " + key + " must be an integer");
    }
    return v.intValue();
  }

  private static long longField(String source, JsonNode node, String key, String where) {
    JsonNode v = required(source, node, key, where);
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw new BadInputException("manifest " + source + ": " + (where.isEmpty() ? "" : where + ".") + key
          + " must be a non-negative integer");
    }
    return v.longValue();
  }

  private static String textField(String source, JsonNode node, String key, String where) {
    JsonNode v = required(source, node, key, where);
    if (!v.isTextual()) {
      throw new BadInputException("manifest " + source + ": " + (where.isEmpty() ? "" : where + ".") + key
          + " must be a string");
    }
    return v.textValue();
  }

  private static boolean boolField(String source, JsonNode node, String key) {
    JsonNode v = required(source, node, key, "");
    if (!v.isBoolean()) {
      throw new BadInputException("manifest " + source + ": " + key + " must be true or false");
    }
    return v.booleanValue();
  }
}
