package io.m31r.release.signing;

import io.m31r.release.failure.IntegrityException;

/** A release has no signature where one is required. Exit 4. */
public final class UnsignedReleaseException extends IntegrityException {
  public UnsignedReleaseException(String message) {
    super(message.contains("unsigned") ? message : "unsigned: " + message);
  }
}
