package io.m31r.release.suite;

/** A name that would leave the suite root: a symbolic link, or a JSONL name with a path separator or dot-dot. */
public final class SuitePathEscapeException extends MalformedSuiteException {
  public SuitePathEscapeException(String message) {
    super(message);
  }

  public SuitePathEscapeException(String message, Throwable cause) {
    super(message, cause);
  }
}
