package io.m31r.release.suite;

import java.util.Locale;

/** A task's difficulty from metadata.yaml; MultiPL-E tasks carry none and are {@link #UNRATED}. */
public enum Difficulty {
  EASY,
  MEDIUM,
  HARD,
  UNRATED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the three values metadata.yaml may hold; {@code unrated} is not one of them. */
  static Difficulty parseMetadata(String value) {
    return switch (value) {
      case "easy" -> EASY;
      case "medium" -> MEDIUM;
      case "hard" -> HARD;
      default -> null;
    };
  }
}
