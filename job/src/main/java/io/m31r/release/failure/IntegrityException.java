package io.m31r.release.failure;

/** Content does not match its recorded digest, or changed while it was read. */
public class IntegrityException extends ReleaseException {
  public IntegrityException(String message) {
    super(message);
  }

  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.INTEGRITY;
  }
}
