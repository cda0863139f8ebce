package io.m31r.release.preflight;

/** Keeps text quoted from inputs inside a one-line message: no line breaks, bounded length. */
public final class OneLine {
  static final int MAX_QUOTED = 80;

  private OneLine() {}

  public static String clip(String text) {
    String flat = text.replaceAll("\\p{Cntrl}", " ").strip();
    return flat.length() <= MAX_QUOTED ? flat : flat.substring(0, MAX_QUOTED) + "...";
  }
}
