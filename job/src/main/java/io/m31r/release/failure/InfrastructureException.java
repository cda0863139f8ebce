package io.m31r.release.failure;

/** A storage, cluster or environment failure that a retry may cure. */
public class InfrastructureException extends ReleaseException {
  public InfrastructureException(String message) {
    super(message);
  }

  public InfrastructureException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.INTERNAL;
  }
}
