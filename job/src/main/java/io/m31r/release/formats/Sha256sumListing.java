package io.m31r.release.formats;

import io.m31r.release.hashing.Hex;
import io.m31r.release.hashing.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * The GNU {@code sha256sum} text format, {@code <hex>  <name>\n} per file sorted by name. The
 * dataset's root digest is the SHA-256 of exactly this text, so a user can recompute it with
 * {@code sha256sum} alone.
 */
public final class Sha256sumListing {
  private Sha256sumListing() {}

  /** Renders entries (name to hex digest) in the byte order of their UTF-8 names. */
  public static String render(SortedMap<String, String> digestsByName) {
    StringBuilder out = new StringBuilder(digestsByName.size() * 80);
    List<String> names = new ArrayList<>(digestsByName.keySet());
    names.sort(Sha256sumListing::compareUtf8);
    for (String name : names) {
      checkName(name);
      String hex = digestsByName.get(name);
      if (!Hex.isSha256(hex)) {
        throw new IllegalArgumentException("not a SHA-256 for " + name + ": " + hex);
      }
      out.append(hex).append("  ").append(name).append('\n');
    }
    return out.toString();
  }

  public static String rootDigest(SortedMap<String, String> digestsByName) {
    return Sha256.hex(render(digestsByName));
  }

  /**
   * Names that {@code sha256sum} would have to escape (backslash, newline, other control
   * characters) are refused rather than escaped: the listing must stay byte-for-byte what
   * {@code sha256sum -c} reads back, and the root digest must not depend on an escaping rule.
   */
  public static void checkName(String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty name");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        throw new IllegalArgumentException(
            "name holds a control character or backslash that sha256sum would escape: "
                + name.replaceAll("\\p{Cntrl}", "?"));
      }
    }
  }

  /**
   * The lines of a listing as read back, for numbering in messages: the newline that ends the last
   * line does not start another, an empty line anywhere else is kept (it is not an entry).
   */
  public static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return List.copyOf(lines);
  }

  /** Byte order of UTF-8, which is what {@code sort} in the C locale and Python's sorted give. */
  public static int compareUtf8(String a, String b) {
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] y = b.getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.compareUnsigned(x, y);
  }

  /** A comparator-backed map whose iteration order is the listing's. */
  public static <V> java.util.TreeMap<String, V> newSortedMap() {
    return new java.util.TreeMap<>(Sha256sumListing::compareUtf8);
  }
}
