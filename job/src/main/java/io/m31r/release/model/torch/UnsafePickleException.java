package io.m31r.release.model.torch;

import io.m31r.release.failure.BadInputException;

/**
 * A pickle that asks for something a state dict never needs: a global outside the allow list, or
 * an opcode outside the small set {@code torch.save} writes. Raised while reading, before anything
 * the pickle names could be looked up, let alone called.
 */
public final class UnsafePickleException extends BadInputException {
  public UnsafePickleException(String file, String problem) {
    super(file + ": " + problem + "; refused without executing it (only a plain PyTorch state dict is read)");
  }
}
