package io.m31r.release.config;

import io.m31r.release.failure.BadInputException;

/** Range checks that name the key path, so a bad value is found without reading code. */
final class ConfigChecks {
  private ConfigChecks() {}

  static void inRange(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new BadInputException(
          "config " + key + ": " + value + " is outside [" + min + ", " + max + "]");
    }
  }

  static void inRange(String key, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new BadInputException(
          "config " + key + ": " + value + " is outside [" + min + ", " + max + "]");
    }
  }
}
