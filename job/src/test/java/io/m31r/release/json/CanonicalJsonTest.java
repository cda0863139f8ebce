package io.m31r.release.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  @Test
  void sortsKeysAtEveryDepthWithStableLayout() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("z", 1);
    inner.put("a", List.of());
    Map<String, Object> outer = new LinkedHashMap<>();
    outer.put("b", inner);
    outer.put("a", "x\u00e9");
    outer.put("c", Map.of());
    assertEquals(
        "{\n  \"a\": \"x\u00e9\",\n  \"b\": {\n    \"a\": [],\n    \"z\": 1\n  },\n  \"c\": {}\n}\n",
        CanonicalJson.string(outer));
  }

  @Test
  void sameTreeSameBytesWhateverTheInsertionOrder() {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put("x", 1);
    one.put("y", List.of(3, 2));
    Map<String, Object> two = new LinkedHashMap<>();
    two.put("y", List.of(3, 2));
    two.put("x", 1);
    assertArrayEquals(CanonicalJson.bytes(one), CanonicalJson.bytes(two));
  }
}
