package io.m31r.release.suite;

/** A task folder lacks one of the five files every task needs. */
public final class MissingTaskFileException extends MalformedSuiteException {
  public MissingTaskFileException(String message) {
    super(message);
  }

  public MissingTaskFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
