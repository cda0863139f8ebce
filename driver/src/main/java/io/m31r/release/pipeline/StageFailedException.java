package io.m31r.release.pipeline;

import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.ReleaseException;

/** A stage's failure, named by stage, keeping the exit code of what failed. */
public final class StageFailedException extends ReleaseException {
  private final ExitCode exitCode;

  StageFailedException(String stage, ReleaseException cause) {
    super("export stage " + stage + ": " + cause.getMessage(), cause);
    this.exitCode = cause.exitCode();
  }

  @Override
  public ExitCode exitCode() {
    return exitCode;
  }
}
