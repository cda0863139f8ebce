package io.m31r.release.registry;

import io.m31r.release.failure.InfrastructureException;

/** Another live run holds the export lease of this version: exit 1, a later retry ends in 0 or 5. */
public final class LeaseHeldException extends InfrastructureException {
  public LeaseHeldException(String message) {
    super(message);
  }
}
