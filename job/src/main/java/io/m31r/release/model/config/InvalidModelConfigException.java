package io.m31r.release.model.config;

import io.m31r.release.failure.BadInputException;

/** The bundle's {@code config.yaml} model section is missing, malformed or inconsistent. */
public final class InvalidModelConfigException extends BadInputException {
  public InvalidModelConfigException(String message) {
    super(message);
  }

  public InvalidModelConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
