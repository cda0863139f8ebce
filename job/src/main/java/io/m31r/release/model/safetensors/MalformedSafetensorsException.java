package io.m31r.release.model.safetensors;

import io.m31r.release.failure.BadInputException;

/** A {@code model.safetensors} file that does not follow the format exactly; never loaded. */
public final class MalformedSafetensorsException extends BadInputException {
  public MalformedSafetensorsException(String file, String problem) {
    super(file + ": " + problem);
  }

  public MalformedSafetensorsException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
