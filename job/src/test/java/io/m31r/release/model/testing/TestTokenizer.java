package io.m31r.release.model.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.m31r.release.model.tokenizer.ByteLevelAlphabet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    return 4 + 256 + MERGES.length;
  }

  public static void write(Path file) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", "1.0");
    root.put("truncation", null);
    root.put("padding", null);
    List<Map<String, Object>> added = new ArrayList<>();
    String[] specials = {"<pad>", "<unk>", "<bos>", "<eos>"};
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (int i = 0; i < specials.length; i++) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("id", i);
      t.put("content", specials[i]);
      t.put("single_word", false);
      t.put("lstrip", false);
      t.put("rstrip", false);
      t.put("normalized", false);
      t.put("special", true);
      added.add(t);
      vocab.put(specials[i], i);
    }
    for (int b = 0; b < 256; b++) {
      vocab.put(String.valueOf(ByteLevelAlphabet.charFor(b)), vocab.size());
    }
    for (String merge : MERGES) {
      vocab.put(merge.replace(" ", ""), vocab.size());
    }
    root.put("added_tokens", added);
    root.put("normalizer", null);
    Map<String, Object> pre = new LinkedHashMap<>();
    pre.put("type", "ByteLevel");
    pre.put("add_prefix_space", false);
    pre.put("trim_offsets", true);
    pre.put("use_regex", true);
    root.put("pre_tokenizer", pre);
    root.put("post_processor", null);
    root.put("decoder", null);
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("type", "BPE");
    model.put("dropout", null);
    model.put("unk_token", "<unk>");
    model.put("continuing_subword_prefix", null);
    model.put("end_of_word_suffix", null);
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("vocab", vocab);
    model.put("merges", List.of(MERGES));
    root.put("model", model);
    Files.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
  }
}
