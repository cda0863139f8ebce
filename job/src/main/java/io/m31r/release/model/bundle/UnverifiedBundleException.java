package io.m31r.release.model.bundle;

import io.m31r.release.failure.BadInputException;

/** A bundle without {@code checksum.txt} was about to be used without the explicit opt-in. */
public final class UnverifiedBundleException extends BadInputException {
  public UnverifiedBundleException(String message) {
    super(message);
  }
}
