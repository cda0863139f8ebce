package io.m31r.release.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {
  private static final List<String> CORPUS =
      List.of(
          "fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n",
          "fn main() {\n    let x = add(1, 2);\n    println!(\"{}\", x);\n}\n",
          "pub struct Point {\n\tx: f64,\n\ty: f64,\n}\n",
          "impl Point {\n    pub fn norm(&self) -> f64 {\n        (self.x * self.x + self.y * self.y).sqrt()\n    }\n}\n",
          "// café ✓ 🦀 println println println\nfn greet() { println!(\"héllo 🦀\"); }\n");

  @TempDir Path dir;

  private Path trainedFile(int vocabSize) throws IOException {
    Path file = dir.resolve("tokenizer.json");
    HfTokenizerJson.write(BpeTrainer.train(CORPUS, vocabSize), file);
    return file;
  }

  @Test
  void trainedTokenizerLoadsAndRoundTripsExactly() throws IOException {
    List<String> samples = new ArrayList<>(CORPUS);
    samples.add("fn unseen() -> Option<&'static str> {\r\n\tNone // naïve ünïcode 😀\n}\n\n");
    // This corpus runs out of pairs seen twice a little past 300.
    try (M31rTokenizer t = M31rTokenizer.load(trainedFile(300))) {
      assertEquals(300, t.vocabSize());
      assertEquals(3, t.eosId().orElseThrow());
      for (String sample : samples) {
        assertEquals(sample, t.decode(t.encode(sample)));
      }
    }
  }

  @Test
  void sameInputGivesByteIdenticalJson() {
    byte[] first = HfTokenizerJson.bytes(BpeTrainer.train(CORPUS, 320));
    byte[] second = HfTokenizerJson.bytes(BpeTrainer.train(List.copyOf(CORPUS), 320));
    assertArrayEquals(first, second);
  }

  @Test
  void mergesMakeRepeatedWordsShorter() throws IOException {
    try (M31rTokenizer t = M31rTokenizer.load(trainedFile(320))) {
      String word = " println";
      int[] ids = t.encode(word);
      assertTrue(ids.length < word.getBytes(StandardCharsets.UTF_8).length, "tokens: " + ids.length);
      assertTrue(ids.length <= 2, "a word seen five times should be nearly one token");
      assertEquals(word, t.decode(ids));
    }
  }

  @Test
  void specialsComeFirstThenBytesThenMerges() {
    BpeVocabulary vocabulary = BpeTrainer.train(CORPUS, 300);
    assertEquals(300, vocabulary.size());
    assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>"), vocabulary.tokens().subList(0, 4));
    assertEquals("Ġ", vocabulary.tokens().get(4 + ' '));
    assertEquals("A", vocabulary.tokens().get(4 + 'A'));
    for (BpeVocabulary.Merge merge : vocabulary.merges()) {
      assertTrue(vocabulary.tokens().contains(merge.left() + merge.right()));
    }
  }

  @Test
  void stopsWhenNoPairOccursTwice() {
    BpeVocabulary vocabulary = BpeTrainer.train(List.of("abc abc xyz"), 1000);
    // Pieces "abc", "Ġabc", "Ġxyz": only a-b and then ab-c occur twice; xyz stays in bytes.
    assertTrue(vocabulary.size() < 1000);
    assertTrue(vocabulary.tokens().contains("abc"));
    assertTrue(!vocabulary.tokens().contains("xy"));
    assertEquals(BpeTrainer.BASE_VOCAB_SIZE, BpeTrainer.train(List.of(), 400).size());
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train(CORPUS, 259));
    assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train(null, 300));
    List<String> withNull = new ArrayList<>();
    withNull.add(null);
    assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train(withNull, 300));
  }
}
