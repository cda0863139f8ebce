package io.m31r.release.model.config;

import io.m31r.release.failure.BadInputException;

/** The checkpoint's tensors do not match the architecture its config describes. */
public final class WeightMismatchException extends BadInputException {
  public WeightMismatchException(String message) {
    super(message);
  }
}
