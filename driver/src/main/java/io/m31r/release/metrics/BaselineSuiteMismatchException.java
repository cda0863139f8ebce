package io.m31r.release.metrics;

import io.m31r.release.failure.BadInputException;

/** A baseline measured on another suite: its numbers mean something else, so none is compared. */
public final class BaselineSuiteMismatchException extends BadInputException {
  public BaselineSuiteMismatchException(String message) {
    super(message);
  }
}
