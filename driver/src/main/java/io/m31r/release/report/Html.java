package io.m31r.release.report;

/** Escaping of text for HTML element content and quoted attribute values. */
final class Html {
  private Html() {}

  /**
   * Escapes the five characters that can end text or an attribute early, and replaces control
   * characters HTML forbids (everything below U+0020 except tab, LF and CR; U+007F-U+009F) and
   * unpaired surrogates with U+FFFD, so that any input yields a well-formed document.
   */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c) || forbiddenControl(c)) {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static boolean forbiddenControl(char c) {
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F);
  }

  /** At most {@code max} code points, with an ellipsis when cut; never splits a surrogate pair. */
  static String shorten(String s, int max) {
    if (s.codePointCount(0, s.length()) <= max) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "\u2026";
  }
}
