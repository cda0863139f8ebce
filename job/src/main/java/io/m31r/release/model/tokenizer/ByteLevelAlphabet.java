package io.m31r.release.model.tokenizer;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * GPT-2's byte-to-unicode table, which byte-level BPE uses to spell every byte as a printable
 * character (a space becomes {@code Ġ}). Decoding a token string means mapping each character back.
 */
public final class ByteLevelAlphabet {
  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[512];

  static {
    Arrays.fill(CHAR_TO_BYTE, -1);
    boolean[] printable = new boolean[256];
    for (int b = '!'; b <= '~'; b++) {
      printable[b] = true;
    }
    for (int b = 0xa1; b <= 0xac; b++) {
      printable[b] = true;
    }
    for (int b = 0xae; b <= 0xff; b++) {
      printable[b] = true;
    }
    int next = 256;
    for (int b = 0; b < 256; b++) {
      char c = printable[b] ? (char) b : (char) next++;
      BYTE_TO_CHAR[b] = c;
      CHAR_TO_BYTE[c] = b;
    }
  }

  private ByteLevelAlphabet() {}

  public static char charFor(int unsignedByte) {
    return BYTE_TO_CHAR[unsignedByte];
  }

  /** The byte a character stands for, or -1 when the character is not in the alphabet. */
  public static int byteFor(char c) {
    return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
  }

  /** Appends the bytes a token string spells; false when a character is outside the alphabet. */
  public static boolean appendBytes(String token, ByteArrayOutputStream out) {
    for (int i = 0; i < token.length(); i++) {
      int b = byteFor(token.charAt(i));
      if (b < 0) {
        return false;
      }
      out.write(b);
    }
    return true;
  }
}
