package io.m31r.release.model.torch;

import io.m31r.release.failure.BadInputException;

/** A {@code torch.save} archive that is damaged or is not a model's state dict; never half-read. */
public final class MalformedCheckpointException extends BadInputException {
  public MalformedCheckpointException(String file, String problem) {
    super(file + ": " + problem);
  }

  public MalformedCheckpointException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
