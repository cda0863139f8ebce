package io.m31r.release.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.hashing.Sha256;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class Sha256sumListingTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  @Test
  void comparesAsTheEncodedBytesDoIncludingSurrogatePairsAndLoneSurrogates() {
    // U+FF5E is below U+1F600 as a code point (and in UTF-8) but above its surrogates in UTF-16.
    assertTrue(Sha256sumListing.compareUtf8("\uff5e", "\ud83d\ude00") < 0);
    assertTrue(Sha256sumListing.compareUtf8("a\ud83d", "a\ud83d\ude00") < 0);
    String[] alphabet = {"a", "b", "/", "\u00e9", "\u07ff", "\u0800", "\ud7ff", "\ue000", "\uff5e", "\uffff",
        "\ud83d\ude00", "\ud800\udc00", "\udbff\udfff", "\ud83d", "\ude00"};
    java.util.Random random = new java.util.Random(5);
    for (int i = 0; i < 200_000; i++) {
      String x = randomName(random, alphabet);
      String y = random.nextInt(4) == 0 ? x + randomName(random, alphabet) : randomName(random, alphabet);
      assertEquals(Integer.signum(Sha256sumListing.compareEncoded(x, y)), Integer.signum(Sha256sumListing.compareUtf8(x, y)),
          () -> "'" + x + "' vs '" + y + "'");
    }
  }

  private static String randomName(java.util.Random random, String[] alphabet) {
    StringBuilder b = new StringBuilder();
    for (int n = random.nextInt(5); n > 0; n--) {
      b.append(alphabet[random.nextInt(alphabet.length)]);
    }
    return b.toString();
  }

  @Test
  void rendersSha256sumFormatSortedByUtf8Bytes() {
    TreeMap<String, String> m = Sha256sumListing.newSortedMap();
    m.put("z.bin", A);
    m.put("B.bin", B);
    m.put("dir/a.bin", A);
    // U+00E9 encodes as 0xC3 0xA9, after every ASCII byte.
    m.put("\u00e9.bin", B);
    assertEquals(
        B + "  B.bin\n" + A + "  dir/a.bin\n" + A + "  z.bin\n" + B + "  \u00e9.bin\n",
        Sha256sumListing.render(m));
  }

  @Test
  void rootDigestIsTheSha256OfTheListing() {
    TreeMap<String, String> m = Sha256sumListing.newSortedMap();
    m.put("x", A);
    assertEquals(Sha256.hex(A + "  x\n"), Sha256sumListing.rootDigest(m));
  }

  @Test
  void refusesNamesSha256sumWouldEscape() {
    for (String bad : new String[] {"a\nb", "a\\b", "tab\there", ""}) {
      TreeMap<String, String> m = new TreeMap<>();
      m.put(bad, A);
      assertThrows(IllegalArgumentException.class, () -> Sha256sumListing.render(m), bad);
    }
  }

  @Test
  void refusesMalformedDigests() {
    TreeMap<String, String> m = new TreeMap<>();
    m.put("x", "A".repeat(64));
    assertThrows(IllegalArgumentException.class, () -> Sha256sumListing.render(m));
  }

  @Test
  void linesDropOnlyTheEmptyTailAfterTheLastNewline() {
    assertEquals(List.of(), Sha256sumListing.lines(""));
    assertEquals(List.of("a", "b"), Sha256sumListing.lines("a\nb\n"));
    assertEquals(List.of("a", "b"), Sha256sumListing.lines("a\nb"));
    assertEquals(List.of("a", "", "b"), Sha256sumListing.lines("a\n\nb\n"));
    assertEquals(List.of("a", ""), Sha256sumListing.lines("a\n\n"));
    assertEquals(List.of(""), Sha256sumListing.lines("\n"));
  }

  @Test
  void readsTextAndBinaryModeLinesAsSha256sumCDoes() {
    assertEquals(Optional.of(new Sha256sumListing.Entry(A, "model.safetensors")), Sha256sumListing.parseLine(A + "  model.safetensors"));
    assertEquals(Optional.of(new Sha256sumListing.Entry(A, "model.safetensors")), Sha256sumListing.parseLine(A + " *model.safetensors"));
    assertEquals(Optional.of(new Sha256sumListing.Entry(A, " lead.txt")), Sha256sumListing.parseLine(A + "   lead.txt"));
    for (String bad : List.of(A + " model.safetensors", A + "\tmodel.safetensors", A.toUpperCase() + "  m", A + "  ", "", A.substring(1) + "  m")) {
      assertTrue(Sha256sumListing.parseLine(bad).isEmpty(), bad);
    }
  }
}
