package io.m31r.release.model.testing;

import io.m31r.release.model.tokenizer.BpeTrainer;
import io.m31r.release.model.tokenizer.BpeVocabulary;
import io.m31r.release.model.tokenizer.ByteLevelAlphabet;
import io.m31r.release.model.tokenizer.HfTokenizerJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a byte-level BPE {@code tokenizer.json} shaped like upstream's (added tokens 0..3, null
 * normalizer, post_processor and decoder) but with all 256 byte characters in the vocabulary, so
 * every text round-trips, plus a few merges so that tokens span several bytes.
 */
public final class TestTokenizer {
  public static final String[] MERGES = {"f n", "Ġ a", "Ġ +", "Ġ b", "Ġ }", "Ġ {", "i 3", "i3 2", "Ġ Ġ"};

  private TestTokenizer() {}

  /** Number of ids the written tokenizer can produce. */
  public static int vocabSize() {
    return BpeTrainer.BASE_VOCAB_SIZE + MERGES.length;
  }

  public static void write(Path file) throws IOException {
    List<String> tokens = new ArrayList<>(BpeTrainer.SPECIAL_TOKENS);
    for (int b = 0; b < 256; b++) {
      tokens.add(String.valueOf(ByteLevelAlphabet.charFor(b)));
    }
    List<BpeVocabulary.Merge> merges = new ArrayList<>();
    for (String merge : MERGES) {
      String[] pair = merge.split(" ");
      merges.add(new BpeVocabulary.Merge(pair[0], pair[1]));
      tokens.add(pair[0] + pair[1]);
    }
    Files.write(file, HfTokenizerJson.bytes(new BpeVocabulary(tokens, merges), HfTokenizerJson.Decoder.NONE));
  }
}
