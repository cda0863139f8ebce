package io.m31r.release.report;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The field checks every report record shares, so that their messages read alike. */
final class Checks {
  private Checks() {}

  static String nonBlank(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new InvalidReportException(field + ": must not be blank");
    }
    return value;
  }

  static double finite(double value, String field) {
    if (!Double.isFinite(value)) {
      throw new InvalidReportException(field + ": must be a finite number, got " + value);
    }
    return value;
  }

  static double rate(double value, String field) {
    finite(value, field);
    if (value < 0 || value > 1) {
      throw new InvalidReportException(field + ": must be in [0, 1], got " + value);
    }
    return value;
  }

  static <T> List<T> list(List<T> items, String field) {
    if (items == null) {
      throw new InvalidReportException(field + ": missing");
    }
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) == null) {
        throw new InvalidReportException(field + "[" + i + "]: missing");
      }
    }
    return List.copyOf(items);
  }

  /** Names that become chart keys and table rows must be unique, or two rows would read as one. */
  static <T> void unique(List<T> items, Function<T, String> name, String field) {
    Set<String> seen = new HashSet<>();
    for (T item : items) {
      if (!seen.add(name.apply(item))) {
        throw new InvalidReportException(field + ": '" + name.apply(item) + "' appears twice");
      }
    }
  }
}
