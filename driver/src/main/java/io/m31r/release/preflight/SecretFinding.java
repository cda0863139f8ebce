package io.m31r.release.preflight;

import java.util.Objects;

/**
 * One possible secret: where it is and what kind. {@code masked} describes the match without its
 * value (at most a public prefix such as {@code AKIA} or a key name, and a length), so findings can
 * be printed and logged.
 */
public record SecretFinding(String source, int line, SecretKind kind, String masked) {
  public SecretFinding {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(masked, "masked");
    if (line < 1) {
      throw new IllegalArgumentException("line must be >= 1: " + line);
    }
  }

  /** {@code config.yaml line 3: AWS access key id AKIA... (20 chars)} */
  public String describe() {
    return source + " line " + line + ": " + kind.label() + " " + masked;
  }
}
