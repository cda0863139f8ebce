package io.m31r.release.suite;

/** A task file that is not valid UTF-8: rustc would refuse it, and the digest would not describe text. */
public final class NonUtf8TaskFileException extends MalformedSuiteException {
  public NonUtf8TaskFileException(String message) {
    super(message);
  }

  public NonUtf8TaskFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
