package io.m31r.release.logging;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One log event, already redacted. The context is a sorted, unmodifiable tree of JSON-safe values
 * (see {@link ContextValues}); formats render it as it is.
 */
public record Event(Instant time, Level level, String stage, String message, Map<String, Object> context) {
  public Event {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(context, "context");
    if (stage.isBlank()) {
      throw new IllegalArgumentException("event stage is blank");
    }
    context = Collections.unmodifiableMap(new TreeMap<>(context));
  }
}
