package io.m31r.release.packaging;

import io.m31r.release.failure.BadInputException;

/** A release metadata value that the format does not allow; the message names the key. */
public final class InvalidReleaseMetadataException extends BadInputException {
  public InvalidReleaseMetadataException(String message) {
    super(message);
  }
}
