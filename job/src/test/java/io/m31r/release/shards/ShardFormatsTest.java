package io.m31r.release.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardFormatsTest {
  /** Feeds in small, odd-sized chunks so that tokens straddle chunk boundaries. */
  private static Map<String, Long> inspect(String name, byte[] data) {
    ShardInspector in = ShardFormats.inspectorFor(name);
    for (int i = 0; i < data.length; i += 7) {
      in.update(data, i, Math.min(7, data.length - i));
    }
    return in.counts(data.length);
  }

  private static Map<String, Long> inspect(String name, String text) {
    return inspect(name, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void countsUpstreamJsonTokenShards() {
    assertEquals(Map.of("tokens", 5L), inspect("shard_0001.json", "{\"tokens\": [10, 2000, 3, 44444, 5]}"));
    assertEquals(Map.of("tokens", 0L), inspect("s.json", "{\"tokens\": []}"));
    assertEquals(Map.of("tokens", 2L), inspect("s.json", "{\"meta\": {\"tokens\": [1,2,3]}, \"tokens\": [7, 8]}"));
  }

  @Test
  void otherJsonOrBrokenJsonGetsNoCounts() {
    assertEquals(Map.of(), inspect("manifest.json", "{\"version\": \"1\", \"shards\": [\"a\"]}"));
    assertEquals(Map.of(), inspect("s.json", "{\"tokens\": [1, 2"));
    assertEquals(Map.of(), inspect("s.json", "not json"));
  }

  @Test
  void aDuplicatedTokensKeyIsAmbiguousAndGetsNoCounts() {
    // A lenient parser would add both arrays and record 3 tokens in the manifest.
    assertEquals(Map.of(), inspect("s.json", "{\"tokens\": [1], \"tokens\": [2, 3]}"));
  }

  @Test
  void countsInt32TokensBySize() {
    assertEquals(Map.of("tokens", 3L), inspect("x.bin", new byte[12]));
    assertEquals(Map.of(), inspect("x.bin", new byte[13]));
  }

  @Test
  void countsJsonlRecordsIgnoringBlankLines() {
    assertEquals(Map.of("records", 3L), inspect("t.jsonl", "{\"a\":1}\n\n{\"a\":2}\n  \n{\"a\":3}"));
    assertEquals(Map.of("records", 2L), inspect("t.JSONL", "{}\r\n{}\r\n"));
  }

  @Test
  void unknownFormatsGetNoCounts() {
    assertEquals(Map.of(), inspect("notes.txt", "hello\n"));
  }
}
