package io.m31r.release.failure;

/**
 * A failure whose message is meant for the user: one line naming the file, field or stage, and
 * an exit code from the contract. Anything that is not a {@code ReleaseException} exits with 1.
 */
public abstract class ReleaseException extends RuntimeException {
  protected ReleaseException(String message) {
    super(message);
  }

  protected ReleaseException(String message, Throwable cause) {
    super(message, cause);
  }

  public abstract ExitCode exitCode();
}
