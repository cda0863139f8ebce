package io.m31r.release.model.runtime;

import io.m31r.release.failure.BadInputException;

/**
 * The model's weights gave a NaN logit: the model is unusable as given, and every retry computes
 * the same NaN, so this is bad input (exit 2), not an infrastructure failure.
 */
public final class NonFiniteLogitsException extends BadInputException {
  public NonFiniteLogitsException(String message) {
    super(message);
  }
}
