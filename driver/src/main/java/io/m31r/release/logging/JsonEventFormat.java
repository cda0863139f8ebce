package io.m31r.release.logging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.m31r.release.json.CanonicalJson;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.TreeMap;

/**
 * One compact JSON object per line, keys sorted at every depth:
 * {@code {"context":{...},"level":"INFO","message":"...","stage":"freeze","time":"2026-01-02T03:04:05.678Z"}}.
 * JSON escapes line breaks inside strings, so a multi-line message still makes one line.
 */
public final class JsonEventFormat implements EventFormat {
  /** ISO-8601 in UTC with milliseconds, always the same width, so lines sort by time as text. */
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  static String time(Instant instant) {
    return TIME.format(instant);
  }

  @Override
  public String line(Event event) {
    TreeMap<String, Object> object = new TreeMap<>();
    object.put("context", event.context());
    object.put("level", event.level().name());
    object.put("message", event.message());
    object.put("stage", event.stage());
    object.put("time", time(event.time()));
    try {
      // The shared mapper sorts map entries; its default writer is compact.
      return CanonicalJson.mapper().writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a normalised log context did not serialise", e);
    }
  }
}
