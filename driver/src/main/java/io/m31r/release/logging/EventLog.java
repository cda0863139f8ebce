package io.m31r.release.logging;

import java.io.PrintStream;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The operations log of a run: one line per event, either text ({@code [stage] message k=v}) or
 * one JSON object ({@code time}, {@code level}, {@code stage}, {@code message}, {@code context}),
 * always passed through {@link Redaction} first. Safe to share between threads: events are
 * formatted by the calling thread and written whole by the sink.
 *
 * <p>Turned on without touching any command: {@code M31R_LOG_FORMAT=json} (or
 * {@code -Dm31r.log.format=json}) and {@code M31R_LOG_FILE=path} (or {@code -Dm31r.log.file=path})
 * are read by {@link #fromEnvironment()}; the default is text on stderr.
 */
public final class EventLog implements AutoCloseable {
  private final EventFormat format;
  private final LogSink sink;
  private final Clock clock;
  private final Redaction redaction = Redaction.standard();

  public EventLog(EventFormat format, LogSink sink, Clock clock) {
    this.format = Objects.requireNonNull(format, "format");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The log the environment asks for; stderr in text format when nothing is set. */
  public static EventLog fromEnvironment() {
    Map<String, String> properties = new HashMap<>();
    System.getProperties().forEach((k, v) -> properties.put(String.valueOf(k), String.valueOf(v)));
    return of(LogSettings.read(System.getenv(), properties), System.err, Clock.systemUTC());
  }

  /**
   * The log for these settings: their file if one is named, else {@code fallback}.
   *
   * @throws io.m31r.release.failure.BadInputException when the file cannot be opened for appending
   */
  public static EventLog of(LogSettings settings, PrintStream fallback, Clock clock) {
    EventFormat format = switch (settings.format()) {
      case TEXT -> new TextEventFormat();
      case JSON -> new JsonEventFormat();
    };
    LogSink sink = settings.file()
        .<LogSink>map(p -> FileSink.open(p, LogSettings.FILE_ENV + " (or -D" + LogSettings.FILE_PROPERTY + ")"))
        .orElseGet(() -> new StreamSink(fallback));
    return new EventLog(format, sink, clock);
  }

  public void info(String stage, String message, Map<String, ?> context) {
    log(Level.INFO, stage, message, context);
  }

  public void warn(String stage, String message, Map<String, ?> context) {
    log(Level.WARN, stage, message, context);
  }

  public void error(String stage, String message, Map<String, ?> context) {
    log(Level.ERROR, stage, message, context);
  }

  public void info(String stage, String message) {
    log(Level.INFO, stage, message, Map.of());
  }

  public void warn(String stage, String message) {
    log(Level.WARN, stage, message, Map.of());
  }

  public void error(String stage, String message) {
    log(Level.ERROR, stage, message, Map.of());
  }

  public void log(Level level, String stage, String message, Map<String, ?> context) {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(message, "message");
    Event event = redaction.event(clock.instant(), level, stage, message, context);
    sink.write(format.line(event));
  }

  @Override
  public void close() {
    sink.close();
  }
}
