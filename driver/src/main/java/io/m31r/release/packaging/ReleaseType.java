package io.m31r.release.packaging;

/** The four release types of the release process; only A is production. */
public enum ReleaseType {
  /** Model release. */
  A,
  /** Tooling release. */
  B,
  /** Patch release. */
  C,
  /** Experimental: untrusted, published only under {@code experiments/}, never current. */
  D;

  public boolean trusted() {
    return this != D;
  }

  public String description() {
    return switch (this) {
      case A -> "model release";
      case B -> "tooling release";
      case C -> "patch release";
      case D -> "experimental, untrusted";
    };
  }
}
