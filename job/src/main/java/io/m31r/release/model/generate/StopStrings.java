package io.m31r.release.model.generate;

import java.util.List;

/**
 * Stop strings are matched on decoded text, not on token ids: a stop such as {@code "\n}"} may be
 * split across tokens or sit inside one, and only the text shows it either way.
 */
final class StopStrings {
  private StopStrings() {}

  /** Index of the earliest occurrence of any stop string, or -1. */
  static int firstMatch(String text, List<String> stops) {
    int first = -1;
    for (String stop : stops) {
      int at = text.indexOf(stop);
      if (at >= 0 && (first < 0 || at < first)) {
        first = at;
      }
    }
    return first;
  }
}
