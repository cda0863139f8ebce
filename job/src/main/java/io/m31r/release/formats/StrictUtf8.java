package io.m31r.release.formats;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Decodes UTF-8 refusing malformed input; {@code new String(bytes, UTF_8)} would replace it
 * silently, and a file whose bytes were not what its author wrote must not pass as text.
 */
public final class StrictUtf8 {
  private StrictUtf8() {}

  /** The text, or empty when the bytes are not valid UTF-8; callers name the file in their error. */
  public static Optional<String> decode(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
