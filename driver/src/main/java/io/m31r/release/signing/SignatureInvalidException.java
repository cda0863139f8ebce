package io.m31r.release.signing;

import io.m31r.release.failure.IntegrityException;

/** The signature does not verify, or the signed document is not what its format requires. Exit 4. */
public final class SignatureInvalidException extends IntegrityException {
  public SignatureInvalidException(String message) {
    super(message.contains("signature invalid") ? message : "signature invalid: " + message);
  }
}
