package io.m31r.release.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.m31r.release.model.testing.TestTokenizer;
import io.m31r.release.model.testing.UpstreamModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class M31rTokenizerTest {
  @TempDir Path dir;

  private M31rTokenizer fixture() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    TestTokenizer.write(file);
    return M31rTokenizer.load(file);
  }

  @Test
  void byteAlphabetIsTheGpt2Table() {
    assertEquals('Ġ', ByteLevelAlphabet.charFor(' '));
    assertEquals('Ċ', ByteLevelAlphabet.charFor('\n'));
    assertEquals('A', ByteLevelAlphabet.charFor('A'));
    assertEquals(0xad, ByteLevelAlphabet.byteFor('Ń'));
    for (int b = 0; b < 256; b++) {
      assertEquals(b, ByteLevelAlphabet.byteFor(ByteLevelAlphabet.charFor(b)));
    }
    assertEquals(-1, ByteLevelAlphabet.byteFor('€'));
  }

  @Test
  void decodeGivesBackTheExactSourceTextDespiteTheNullDecoder() throws IOException {
    try (M31rTokenizer t = fixture()) {
      String source = "fn add(a: i32, b: i32) -> i32 {\n    a + b }\n\t// é ✓ 🦀\r\n";
      int[] ids = t.encode(source);
      assertEquals(source, t.decode(ids));
      assertFalse(t.decode(ids).contains("Ġ"));
      // The merges were applied: fewer tokens than bytes, so decode had to split multi-byte tokens.
      assertTrue(ids.length < source.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void encodeAddsNoSpecialTokensAndEosComesFromAddedTokens() throws IOException {
    try (M31rTokenizer t = fixture()) {
      int[] ids = t.encode("fn");
      assertEquals(1, ids.length);
      assertEquals("fn", t.tokenString(ids[0]));
      assertEquals(3, t.eosId().orElseThrow());
      assertEquals(TestTokenizer.vocabSize(), t.vocabSize());
      // Special tokens contribute no text.
      assertEquals("fn", t.decode(new int[] {2, ids[0], 3, 0}));
    }
  }

  @Test
  void splitMultiByteCharacterDecodesOnceComplete() throws IOException {
    try (M31rTokenizer t = fixture()) {
      int[] ids = t.encode("é");
      assertEquals(2, ids.length);
      assertEquals("\uFFFD", t.decode(new int[] {ids[0]}));
      assertEquals("é", t.decode(ids));
    }
  }

  @Test
  void refusesNonByteLevelTokenizers() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    TestTokenizer.write(file);
    Files.writeString(file, Files.readString(file).replace("\"ByteLevel\"", "\"Whitespace\""));
    assertThrows(UnsupportedTokenizerException.class, () -> M31rTokenizer.load(file));
  }

  @Test
  void emptyVocabularyIsBadInputNamingTheFileAtLoad() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    TestTokenizer.write(file);
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(file.toFile());
    var model = (com.fasterxml.jackson.databind.node.ObjectNode) root.get("model");
    model.putObject("vocab");
    model.putArray("merges");
    root.putArray("added_tokens");
    json.writeValue(file.toFile(), root);
    UnsupportedTokenizerException e = assertThrows(UnsupportedTokenizerException.class, () -> M31rTokenizer.load(file));
    assertEquals("tokenizer.json has an empty vocabulary", e.getMessage());
    assertEquals(io.m31r.release.failure.ExitCode.BAD_INPUT, e.exitCode());
    // Only <unk> missing: the native library fails when it encodes, and that is about the file too.
    TestTokenizer.write(file);
    root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(file.toFile());
    model = (com.fasterxml.jackson.databind.node.ObjectNode) root.get("model");
    model.put("unk_token", "<m31r-missing-unk>");
    model.putObject("vocab").put("a", 0);
    model.putArray("merges");
    root.putArray("added_tokens");
    json.writeValue(file.toFile(), root);
    UnsupportedTokenizerException native_ = assertThrows(UnsupportedTokenizerException.class, () -> M31rTokenizer.load(file));
    assertTrue(native_.getMessage().startsWith("tokenizer.json "), native_.getMessage());
    assertFalse(native_.getMessage().contains("\n"), native_.getMessage());
  }

  @Test
  void upstreamTokenizerRoundTripsItsAlphabetAndMapsNewlineToUnk() {
    Optional<Path> upstream = UpstreamModel.directory();
    assumeTrue(upstream.isPresent(), "upstream model not on this machine");
    try (M31rTokenizer t = M31rTokenizer.load(upstream.get().resolve("tokenizer.json"))) {
      String source = "fn add(a: i32, b: i32) -> i32 { a + b }";
      assertEquals(source, t.decode(t.encode(source)));
      assertEquals(3, t.eosId().orElseThrow());
      assertEquals(91, t.vocabSize());
      int[] withNewline = t.encode("a\nb");
      assertArrayEquals(new int[] {17, 1, 18}, withNewline);
    }
  }
}
