package io.m31r.release.signing;

import io.m31r.release.failure.IntegrityException;

/** The signature verifies with a key that is not trusted for this release (absent from the trusted keys, or outside its validity window). Exit 4. */
public final class UntrustedKeyException extends IntegrityException {
  public UntrustedKeyException(String message) {
    super(message.contains("signed by an untrusted key") ? message : "signed by an untrusted key: " + message);
  }
}
