package io.m31r.release.logging;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns whatever a caller puts in a context into a tree of JSON-safe values: null, strings,
 * booleans, integral numbers, finite decimals, sorted maps with string keys and lists. Any other
 * object becomes its {@code toString()}, never a bean serialisation, so that no field a caller did
 * not mean to log (a credential inside a config object, say) reaches the output.
 */
final class ContextValues {
  /** Deep enough for any real context; a cycle (a map containing itself) stops here. */
  private static final int MAX_DEPTH = 16;

  private ContextValues() {}

  static Map<String, Object> normalise(Map<String, ?> context) {
    if (context == null) {
      return Map.of();
    }
    return map(context, 0);
  }

  private static Map<String, Object> map(Map<?, ?> in, int depth) {
    TreeMap<String, Object> out = new TreeMap<>();
    for (Map.Entry<?, ?> e : in.entrySet()) {
      out.put(String.valueOf(e.getKey()), value(e.getValue(), depth + 1));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Object value(Object v, int depth) {
    if (v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
        || v instanceof BigInteger || v instanceof BigDecimal) {
      return v;
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      // JSON has no NaN or infinities; their names survive as text.
      return Double.isFinite(d) ? v : String.valueOf(v);
    }
    if (depth > MAX_DEPTH) {
      return "[too deep]";
    }
    if (v instanceof Map<?, ?> m) {
      return map(m, depth);
    }
    if (v instanceof Optional<?> o) {
      return o.isPresent() ? value(o.get(), depth + 1) : null;
    }
    if (v instanceof Iterable<?> it) {
      List<Object> out = new ArrayList<>();
      for (Object item : it) {
        out.add(value(item, depth + 1));
      }
      return Collections.unmodifiableList(out);
    }
    if (v instanceof char[] chars) {
      // char[] is how Java code holds passwords: its content is never logged.
      return "[char[" + chars.length + "]]";
    }
    if (v.getClass().isArray()) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < Array.getLength(v); i++) {
        out.add(value(Array.get(v, i), depth + 1));
      }
      return Collections.unmodifiableList(out);
    }
    return v.toString();
  }
}
