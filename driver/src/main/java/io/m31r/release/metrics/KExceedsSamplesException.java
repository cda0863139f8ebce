package io.m31r.release.metrics;

import io.m31r.release.failure.BadInputException;

/** pass@k asked with more draws than samples: refused, never quietly lowered to n. */
public final class KExceedsSamplesException extends BadInputException {
  public KExceedsSamplesException(String message) {
    super(message);
  }
}
