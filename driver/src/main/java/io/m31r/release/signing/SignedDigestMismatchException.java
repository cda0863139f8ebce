package io.m31r.release.signing;

import io.m31r.release.failure.IntegrityException;

/** A file differs from the digest the signature covers, or is missing or extra. Exit 4. */
public final class SignedDigestMismatchException extends IntegrityException {
  public SignedDigestMismatchException(String message) {
    super(message.contains("file digest differs from the signed one") ? message : "file digest differs from the signed one: " + message);
  }
}
