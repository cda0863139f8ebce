package io.m31r.release.suite;

/**
 * Where the leading part of a Rust source file ends that must stay first: a byte order mark,
 * whitespace, comments and inner attributes ({@code #![...]}, {@code //!} and inner block doc comments), which
 * rustc accepts only before the first item.
 *
 * <p>Only forms whose end rustc sees at the same place are skipped: line comments, block comments
 * with no nested {@code /*}, and inner attributes made of names, punctuation and parentheses
 * alone (no string, comment or bracket inside). Anything else ends the preamble. The position
 * returned is therefore always between two tokens as rustc reads them, never inside a comment or
 * a string that the completion opened; at worst (an inner attribute with a string) the program no
 * longer compiles, which makes a sample fail, never pass.
 */
final class Preamble {
  private Preamble() {}

  static int end(String s) {
    int i = s.startsWith("\uFEFF") ? 1 : 0;
    int kept = i;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        i++;
        continue;
      }
      int next = -1;
      if (s.startsWith("///", i) && !s.startsWith("////", i) || s.startsWith("/**", i) && !s.startsWith("/**/", i)) {
        return kept; // an outer doc comment belongs to the item after it
      } else if (s.startsWith("//", i)) {
        int nl = s.indexOf('\n', i);
        next = nl < 0 ? s.length() : nl + 1;
      } else if (s.startsWith("/*", i)) {
        int close = s.indexOf("*/", i + 2);
        if (close >= 0 && !s.substring(i + 2, close).contains("/*")) {
          next = close + 2;
        }
      } else if (s.startsWith("#![", i)) {
        next = innerAttributeEnd(s, i + 3);
      }
      if (next < 0) {
        return kept;
      }
      i = next;
      kept = i;
    }
    return kept;
  }

  /** Just past the {@code ]} closing an inner attribute of plain tokens, or -1. */
  private static int innerAttributeEnd(String s, int from) {
    int depth = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ']') {
        return depth == 0 ? i + 1 : -1;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        if (--depth < 0) {
          return -1;
        }
      } else if (!(Character.isLetterOrDigit(c) && c < 128 || " \t\r\n_:,=-".indexOf(c) >= 0)) {
        return -1;
      }
    }
    return -1;
  }
}
