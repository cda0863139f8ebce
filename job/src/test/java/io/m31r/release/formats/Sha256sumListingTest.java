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
