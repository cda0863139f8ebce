package io.m31r.release.model.tokenizer;

import io.m31r.release.json.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a trained vocabulary as a HuggingFace {@code tokenizer.json} (byte-level BPE, specials as
 * added tokens). Written canonically, so the same vocabulary always gives the same bytes and the
 * file can be hashed into a bundle manifest.
 */
public final class HfTokenizerJson {
  /** Which decoder the file declares. */
  public enum Decoder {
    /** HuggingFace's ByteLevel decoder: what the project's own tokenizers write. */
    BYTE_LEVEL,
    /** A null decoder, as upstream M31R writes it; our runtime applies the byte mapping itself. */
    NONE
  }

  private HfTokenizerJson() {}

  public static void write(BpeVocabulary vocabulary, Path file) throws IOException {
    Files.write(file, bytes(vocabulary, Decoder.BYTE_LEVEL));
  }

  public static byte[] bytes(BpeVocabulary vocabulary) {
    return bytes(vocabulary, Decoder.BYTE_LEVEL);
  }

  public static byte[] bytes(BpeVocabulary vocabulary, Decoder decoder) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", "1.0");
    root.put("truncation", null);
    root.put("padding", null);
    root.put("added_tokens", addedTokens());
    root.put("normalizer", null);
    root.put("pre_tokenizer", byteLevel(false));
    root.put("post_processor", null);
    root.put("decoder", decoder == Decoder.BYTE_LEVEL ? byteLevel(true) : null);
    root.put("model", model(vocabulary));
    return CanonicalJson.bytes(root);
  }

  private static List<Map<String, Object>> addedTokens() {
    List<Map<String, Object>> added = new ArrayList<>();
    for (int id = 0; id < BpeTrainer.SPECIAL_TOKENS.size(); id++) {
      Map<String, Object> token = new LinkedHashMap<>();
      token.put("id", id);
      token.put("content", BpeTrainer.SPECIAL_TOKENS.get(id));
      token.put("single_word", false);
      token.put("lstrip", false);
      token.put("rstrip", false);
      token.put("normalized", false);
      token.put("special", true);
      added.add(token);
    }
    return added;
  }

  private static Map<String, Object> byteLevel(boolean addPrefixSpace) {
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("type", "ByteLevel");
    step.put("add_prefix_space", addPrefixSpace);
    step.put("trim_offsets", true);
    step.put("use_regex", true);
    return step;
  }

  private static Map<String, Object> model(BpeVocabulary vocabulary) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("type", "BPE");
    model.put("dropout", null);
    model.put("unk_token", "<unk>");
    model.put("continuing_subword_prefix", null);
    model.put("end_of_word_suffix", null);
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("ignore_merges", false);
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (int id = 0; id < vocabulary.size(); id++) {
      vocab.put(vocabulary.tokens().get(id), id);
    }
    model.put("vocab", vocab);
    // Pairs rather than "a b" strings: the form current HuggingFace tokenizers write.
    List<List<String>> merges = new ArrayList<>();
    for (BpeVocabulary.Merge merge : vocabulary.merges()) {
      merges.add(List.of(merge.left(), merge.right()));
    }
    model.put("merges", merges);
    return model;
  }
}
