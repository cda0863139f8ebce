package io.m31r.release.logging;

/** Renders one event as exactly one line of text, without the line end. */
public sealed interface EventFormat permits JsonEventFormat, TextEventFormat {
  String line(Event event);
}
