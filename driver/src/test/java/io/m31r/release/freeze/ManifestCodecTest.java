package io.m31r.release.freeze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.hashing.ShardDigest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The manifest's bytes are part of every release: pinned here, and its reader's refusals. */
class ManifestCodecTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  private static DatasetManifest manifest(String include) {
    TreeMap<String, ShardDigest> d = new TreeMap<>();
    d.put("part-0.jsonl", new ShardDigest(10, A, Map.of("records", 2L)));
    d.put("part-1.bin", new ShardDigest(8, B, Map.of("tokens", 2L)));
    return DatasetManifest.of(new DatasetSelection("file:/data/set", include, false), d);
  }

  private static String text(DatasetManifest m) {
    return new String(ManifestCodec.encode(m), StandardCharsets.UTF_8);
  }

  @Test
  void bytesArePinned() {
    DatasetManifest m = manifest("*.bin");
    assertEquals("""
        {
          "dataset_uri": "file:/data/set",
          "follow_symlinks": false,
          "format_version": 1,
          "include": "*.bin",
          "root_sha256": "%s",
          "shard_count": 2,
          "shards": [
            {
              "path": "part-0.jsonl",
              "records": 2,
              "sha256": "%s",
              "size": 10
            },
            {
              "path": "part-1.bin",
              "sha256": "%s",
              "size": 8,
              "tokens": 2
            }
          ],
          "total_bytes": 18
        }
        """.formatted(m.rootSha256(), A, B), text(m));
    assertEquals(-1, text(manifest(null)).indexOf("include"), "an unset include is absent, not null");
  }

  @Test
  void decodesWhatItEncodes() {
    for (String include : new String[] {null, "*.bin"}) {
      DatasetManifest m = manifest(include);
      assertEquals(m, ManifestCodec.decode("m.json", ManifestCodec.encode(m)));
      assertArrayEquals(ManifestCodec.encode(m), ManifestCodec.encode(ManifestCodec.decode("m.json", ManifestCodec.encode(m))));
    }
  }

  @Test
  void refusesWithTheKeyPath() {
    String good = text(manifest(null));
    assertRefused(BadInputException.class, "manifest m.json: unknown key shards[1].colour",
        good.replace("\"tokens\": 2", "\"tokens\": 2, \"colour\": 1"));
    assertRefused(BadInputException.class, "manifest m.json: shards[0].size must be a non-negative integer",
        good.replace("\"size\": 10", "\"size\": \"10\""));
    assertRefused(BadInputException.class, "manifest m.json: missing total_bytes",
        good.replace("\"total_bytes\": 18", "\"x_total\": 18").replace(",\n  \"x_total\": 18", ""));
    assertRefused(BadInputException.class, "manifest m.json: shards[0].size must be a non-negative integer",
        good.replace("\"size\": 10", "\"size\": -10"));
    assertRefused(BadInputException.class, "manifest m.json: format_version 2 is not supported",
        good.replace("\"format_version\": 1", "\"format_version\": 2"));
    assertRefused(BadInputException.class, "manifest m.json: not valid JSON: Duplicate field 'size'",
        good.replace("\"size\": 10", "\"size\": 10, \"size\": 10"));
    assertRefused(IntegrityException.class,
        "manifest m.json: shard_count, total_bytes or root_sha256 disagree with its shard list (the manifest is corrupt or was edited)",
        good.replace("\"size\": 10", "\"size\": 11"));
  }

  @Test
  void refusesNullsAndWrongShapesAsBadInputNamingTheKey() {
    String good = text(manifest(null));
    String[][] cases = {
      {"\"path\": \"part-0.jsonl\"", "\"path\": null", "shards[0].path is null"},
      {"\"size\": 10", "\"size\": null", "shards[0].size is null"},
      {"\"records\": 2", "\"records\": -2", "shards[0].records must be a non-negative integer"},
      {"\"records\": 2", "\"records\": null", "shards[0].records is null"},
      {"\"tokens\": 2", "\"tokens\": 2.5", "shards[1].tokens must be a non-negative integer"},
      {"\"follow_symlinks\": false", "\"follow_symlinks\": \"no\"", "follow_symlinks must be true or false"},
      {"\"dataset_uri\": \"file:/data/set\"", "\"dataset_uri\": 7", "dataset_uri must be a string"},
      {"\"dataset_uri\": \"file:/data/set\"", "\"dataset_uri\": \" \"", "dataset_uri: dataset URI is required"},
      {"\"shard_count\": 2", "\"shard_count\": 4294967296", "shard_count must be an integer"},
      {"\"total_bytes\": 18", "\"total_bytes\": -18", "total_bytes must be a non-negative integer"},
    };
    for (String[] c : cases) {
      assertTrue(good.contains(c[0]), c[0]);
      assertRefused(BadInputException.class, "manifest m.json: " + c[2], good.replace(c[0], c[1]));
    }
    assertRefused(BadInputException.class, "manifest m.json: shards must be a JSON array",
        good.replaceAll("(?s)\"shards\": \\[.*\\]", "\"shards\": {}"));
    assertRefused(BadInputException.class, "manifest m.json: format_version 2 is not supported",
        good.replace("\"format_version\": 1", "\"format_version\": 2, \"compression\": \"zstd\""));
  }

  @Test
  void aCountTheFormatHasNoKeyForIsNotDroppedSilently() {
    TreeMap<String, ShardDigest> d = new TreeMap<>();
    d.put("part-0.txt", new ShardDigest(10, A, Map.of("lines", 2L)));
    DatasetManifest m = DatasetManifest.of(new DatasetSelection("file:/data/set", null, false), d);
    assertThrows(IllegalArgumentException.class, () -> ManifestCodec.encode(m));
  }

  private static void assertRefused(Class<? extends RuntimeException> type, String message, String json) {
    RuntimeException e = assertThrows(type, () -> ManifestCodec.decode("m.json", json.getBytes(StandardCharsets.UTF_8)), message);
    assertEquals(message, e.getMessage());
  }
}
