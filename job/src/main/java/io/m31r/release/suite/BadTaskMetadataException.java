package io.m31r.release.suite;

/** A metadata.yaml that is not valid YAML, has unknown or missing keys, or an unknown difficulty or kind. */
public final class BadTaskMetadataException extends MalformedSuiteException {
  public BadTaskMetadataException(String message) {
    super(message);
  }

  public BadTaskMetadataException(String message, Throwable cause) {
    super(message, cause);
  }
}
