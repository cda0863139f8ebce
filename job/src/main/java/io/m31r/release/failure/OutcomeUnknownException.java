package io.m31r.release.failure;

/** A write whose result could not be established: it may or may not be visible. Callers re-read and compare; they never delete or blindly retry. */
public class OutcomeUnknownException extends ReleaseException {
  public OutcomeUnknownException(String message) {
    super(message);
  }

  public OutcomeUnknownException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.INTERNAL;
  }
}
