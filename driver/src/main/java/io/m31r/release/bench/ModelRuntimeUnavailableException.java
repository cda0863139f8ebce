package io.m31r.release.bench;

import io.m31r.release.failure.BadInputException;

/** {@code --model} needs text generation, which this build does not contain. */
public final class ModelRuntimeUnavailableException extends BadInputException {
  public ModelRuntimeUnavailableException() {
    super("bench --model: generation needs the model runtime (issue 3), not available in this build;"
        + " use --from-samples with completions generated elsewhere, or --oracle");
  }
}
