package io.m31r.release.bench;

import io.m31r.release.failure.BadInputException;

/** A samples.jsonl that does not describe n samples for every task of the suite. */
public final class BadSamplesFileException extends BadInputException {
  public BadSamplesFileException(String message) {
    super(message);
  }
}
