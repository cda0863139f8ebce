package io.m31r.release.failure;

/** Usage, configuration or input that can never succeed as given. */
public class BadInputException extends ReleaseException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.BAD_INPUT;
  }
}
