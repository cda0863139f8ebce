package io.m31r.release.signing;

import java.util.Comparator;

/**
 * model_signing sorts resources as Python sorts {@code PurePosixPath}s: component by component,
 * each by code point. So {@code a/b} precedes {@code a-b}, which a plain string sort reverses.
 */
final class ResourceOrder {
  static final Comparator<String> COMPARATOR = ResourceOrder::compare;

  private ResourceOrder() {}

  static int compare(String x, String y) {
    String[] a = x.split("/", -1);
    String[] b = y.split("/", -1);
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      int c = codePoints(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length, b.length);
  }

  private static int codePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
