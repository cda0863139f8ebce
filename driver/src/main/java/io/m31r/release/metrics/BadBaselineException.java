package io.m31r.release.metrics;

import io.m31r.release.failure.BadInputException;

/** A baseline report that cannot be read as one (not JSON, no suite digest, no metrics). */
public final class BadBaselineException extends BadInputException {
  public BadBaselineException(String message) {
    super(message);
  }

  public BadBaselineException(String message, Throwable cause) {
    super(message, cause);
  }
}
