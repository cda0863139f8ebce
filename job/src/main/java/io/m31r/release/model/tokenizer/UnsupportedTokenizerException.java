package io.m31r.release.model.tokenizer;

import io.m31r.release.failure.BadInputException;

/** A {@code tokenizer.json} this runtime cannot load or cannot decode exactly. */
public final class UnsupportedTokenizerException extends BadInputException {
  public UnsupportedTokenizerException(String message) {
    super(message);
  }

  public UnsupportedTokenizerException(String message, Throwable cause) {
    super(message, cause);
  }
}
