package io.m31r.release.signing;

import io.m31r.release.failure.IntegrityException;

/** The signed provenance disagrees with the release's metadata.json or files, or is missing. Exit 4. */
public final class ProvenanceMismatchException extends IntegrityException {
  public ProvenanceMismatchException(String message) {
    super(message.contains("provenance disagrees with metadata") ? message : "provenance disagrees with metadata: " + message);
  }
}
