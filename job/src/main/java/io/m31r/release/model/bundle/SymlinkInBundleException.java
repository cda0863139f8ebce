package io.m31r.release.model.bundle;

import io.m31r.release.failure.BadInputException;

/** A bundle file is a symbolic link (or lies behind one): refused before anything is read (exit 2). */
public final class SymlinkInBundleException extends BadInputException {
  public SymlinkInBundleException(String message) {
    super(message);
  }
}
