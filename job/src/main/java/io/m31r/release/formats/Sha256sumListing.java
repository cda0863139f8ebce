package io.m31r.release.formats;

import io.m31r.release.hashing.Hex;
import io.m31r.release.hashing.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GNU {@code sha256sum} format, the one home of every listing we write or read (a dataset's
 * listing, a bundle's and a release's {@code checksum.txt}). We write text mode,
 * {@code <hex>  <name>\n} per file sorted by name; the dataset's root digest is the SHA-256 of
 * exactly this text, so a user can recompute it with {@code sha256sum} alone. We read what
 * {@code sha256sum -c} reads: text mode and binary mode ({@code <hex> *<name>}) alike.
 */
public final class Sha256sumListing {
  /** The line grammar in words, for messages naming a line that breaks it. */
  public static final String LINE_FORM = "'<sha256>  <name>'";

  private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *](.+)");

  /** One listed file: its name as written and its lowercase hex digest. */
  public record Entry(String sha256, String name) {}

  private Sha256sumListing() {}

  /**
   * One line read as {@code sha256sum -c} does, in text ({@code "  "}) or binary ({@code " *"})
   * mode; empty when the line is not an entry. Lowercase hex only, as we write it.
   */
  public static Optional<Entry> parseLine(String line) {
    Matcher m = LINE.matcher(line);
    return m.matches() ? Optional.of(new Entry(m.group(1), m.group(2))) : Optional.empty();
  }

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

  /**
   * Byte order of UTF-8, which is what {@code sort} in the C locale and Python's sorted give.
   *
   * <p>A sorted map of a 200,000-file dataset compares names millions of times, so names are not
   * encoded for each comparison: where the first differing chars are neither surrogates, UTF-16
   * order is code point order, which UTF-8 keeps. Surrogates (pairs, and lone ones that the encoder
   * replaces) take the encoded comparison.
   */
  public static int compareUtf8(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return Character.isSurrogate(x) || Character.isSurrogate(y) ? compareEncoded(a, b) : x - y;
      }
    }
    if (n > 0 && Character.isSurrogate(a.charAt(n - 1))) {
      return compareEncoded(a, b);
    }
    return a.length() - b.length();
  }

  static int compareEncoded(String a, String b) {
    return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** A comparator-backed map whose iteration order is the listing's. */
  public static <V> java.util.TreeMap<String, V> newSortedMap() {
    return new java.util.TreeMap<>(Sha256sumListing::compareUtf8);
  }
}
