package io.m31r.release.suite;

/** A task whose prompt does not fit its kind (a FIM task without exactly one FILL line, an unknown category) or a JSONL line without a required field. */
public final class BadTaskShapeException extends MalformedSuiteException {
  public BadTaskShapeException(String message) {
    super(message);
  }

  public BadTaskShapeException(String message, Throwable cause) {
    super(message, cause);
  }
}
