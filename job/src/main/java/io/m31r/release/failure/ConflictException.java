package io.m31r.release.failure;

/** Something immutable already exists with different content; nothing was changed. */
public class ConflictException extends ReleaseException {
  public ConflictException(String message) {
    super(message);
  }

  public ConflictException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.CONFLICT;
  }
}
