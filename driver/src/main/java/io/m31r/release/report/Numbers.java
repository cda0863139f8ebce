package io.m31r.release.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Number formats of the report: locale-independent so the same input gives the same bytes. */
final class Numbers {
  private Numbers() {}

  /** A rate as a percentage with one decimal: {@code 0.725 -> 72.5%}. */
  static String percent(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", rate * 100);
  }

  /** A signed relative change: {@code -0.031 -> -3.1%}, {@code 0.2 -> +20.0%}. */
  static String signedPercent(double change) {
    return String.format(Locale.ROOT, "%+.1f%%", change * 100);
  }

  /** Any metric value, six significant digits, never in exponent form. */
  static String plain(double value) {
    if (value == 0) {
      return "0";
    }
    return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }

  /** The exact value, for {@code data-value} attributes that tests and tools read back. */
  static String exact(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  static String seconds(double seconds) {
    return String.format(Locale.ROOT, "%.1f s", seconds);
  }

  /** An SVG coordinate or length. */
  static String px(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
