package io.m31r.release.failure;

/** A release gate (targets, regression, tests) blocked the release. */
public class GateFailedException extends ReleaseException {
  public GateFailedException(String message) {
    super(message);
  }

  public GateFailedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.GATE_BLOCKED;
  }
}
