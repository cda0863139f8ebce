package io.m31r.release.storage;

/** How an immutable write ended when it did not fail. */
public enum WriteOutcome {
  /** This call made the file visible. */
  CREATED,
  /** The file was already there with exactly these bytes: a retry, nothing was written. */
  ALREADY_IDENTICAL
}
