package io.m31r.release.suite;

import io.m31r.release.failure.BadInputException;

/** A benchmark suite that cannot be evaluated as given; the message names the task or file. */
public class MalformedSuiteException extends BadInputException {
  public MalformedSuiteException(String message) {
    super(message);
  }

  public MalformedSuiteException(String message, Throwable cause) {
    super(message, cause);
  }
}
