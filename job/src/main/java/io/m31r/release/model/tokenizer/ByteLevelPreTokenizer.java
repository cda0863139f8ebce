package io.m31r.release.model.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The split HuggingFace's ByteLevel pre-tokenizer does (GPT-2's regex), with each piece spelled in
 * the byte-level alphabet. Training must split as encoding will, or merges would be learned across
 * boundaries that encoding never crosses.
 */
final class ByteLevelPreTokenizer {
  // Unicode \s as in the Rust regex HF uses; Java's default \s is ASCII-only.
  private static final Pattern SPLIT =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
          Pattern.UNICODE_CHARACTER_CLASS);

  private ByteLevelPreTokenizer() {}

  /** The text's pieces, each as byte-level characters (a space becomes {@code Ġ}). */
  static List<String> split(String text) {
    List<String> pieces = new ArrayList<>();
    Matcher m = SPLIT.matcher(text);
    while (m.find()) {
      pieces.add(spell(m.group()));
    }
    return pieces;
  }

  private static String spell(String piece) {
    byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      out.append(ByteLevelAlphabet.charFor(b & 0xff));
    }
    return out.toString();
  }
}
