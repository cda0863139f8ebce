package io.m31r.release.logging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.m31r.release.json.CanonicalJson;
import java.util.Map;

/**
 * The human-readable default: {@code [stage] message k=v k2="two words"}, with {@code warning: }
 * or {@code error: } before the message for those levels. Line breaks and other control
 * characters are escaped, so one event stays one line; values that contain spaces, quotes or
 * {@code =} are quoted, and maps and lists print as compact JSON.
 */
public final class TextEventFormat implements EventFormat {
  @Override
  public String line(Event event) {
    StringBuilder b = new StringBuilder();
    b.append('[').append(escape(event.stage())).append("] ");
    switch (event.level()) {
      case WARN -> b.append("warning: ");
      case ERROR -> b.append("error: ");
      case INFO -> { }
    }
    b.append(escape(event.message()));
    for (Map.Entry<String, Object> e : event.context().entrySet()) {
      b.append(' ').append(token(e.getKey())).append('=').append(value(e.getValue()));
    }
    return b.toString();
  }

  private static String value(Object v) {
    if (v instanceof String s) {
      return token(s);
    }
    if (v instanceof Map<?, ?> || v instanceof Iterable<?>) {
      try {
        return CanonicalJson.mapper().writeValueAsString(v);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a normalised log context did not serialise", e);
      }
    }
    return String.valueOf(v);
  }

  /** A bare word when that is unambiguous, a quoted string with escapes otherwise. */
  private static String token(String s) {
    if (!s.isEmpty() && s.chars().allMatch(c -> c > ' ' && c != '"' && c != '=' && !isControl((char) c))) {
      return s;
    }
    return '"' + escape(s.replace("\\", "\\\\").replace("\"", "\\\"")) + '"';
  }

  private static boolean isControl(char c) {
    return c < ' ' || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  /** Control characters as JSON-style escapes; everything else unchanged. */
  private static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (isControl(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
