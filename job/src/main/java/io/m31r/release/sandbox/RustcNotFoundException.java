package io.m31r.release.sandbox;

import io.m31r.release.failure.BadInputException;

/** No usable rustc: the benchmark cannot judge anything, so the command stops before any work. */
public final class RustcNotFoundException extends BadInputException {
  public RustcNotFoundException(String message) {
    super(message);
  }
}
