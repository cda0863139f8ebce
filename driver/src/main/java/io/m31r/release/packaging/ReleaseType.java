package io.m31r.release.packaging;

import io.m31r.release.failure.BadInputException;
import java.util.Locale;

/**
 * The four release types of the process (section 4). Only type A is production; type D is an
 * experiment: untrusted, published apart from releases and never made current (section 24).
 */
public enum ReleaseType {
  A("model"),
  B("tooling"),
  C("patch"),
  D("experimental");

  private final String word;

  ReleaseType(String word) {
    this.word = word;
  }

  /** Accepts the letter ({@code A}..{@code D}) or its word ({@code model}, {@code tooling}, ...), any case. */
  public static ReleaseType parse(String text) {
    if (text != null) {
      String t = text.trim();
      for (ReleaseType type : values()) {
        if (type.name().equalsIgnoreCase(t) || type.word.equals(t.toLowerCase(Locale.ROOT))) {
          return type;
        }
      }
    }
    throw new BadInputException(
        "release type '" + text + "' is not one of A (model), B (tooling), C (patch), D (experimental)");
  }

  public String word() {
    return word;
  }

  /** Experiments are untrusted (section 24); every other type is a release. */
  public boolean trusted() {
    return this != D;
  }

  /** What README.txt calls the type. */
  public String description() {
    return this == D ? "experimental, untrusted" : word + " release";
  }

  /** Only experiments may carry a pre-release suffix such as {@code -rc.1}. */
  public boolean allowsPreRelease() {
    return this == D;
  }

  /** Sub-directory of the release root the type is published under: experiments never sit beside releases. */
  public String area() {
    return this == D ? "experiments" : "";
  }

  @Override
  public String toString() {
    return name() + " (" + word + ")";
  }
}
