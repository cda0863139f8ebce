package io.m31r.release.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.json.CanonicalJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T05:06:07.089Z"), ZoneId.of("Europe/Paris"));

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static JsonNode parse(String line) throws Exception {
    return CanonicalJson.mapper().readTree(line);
  }

  @Test
  void jsonEventIsOneCanonicalLineWithUtcMillisecondTime() throws Exception {
    try (EventLog log = new EventLog(new JsonEventFormat(), new StreamSink(stream), CLOCK)) {
      Map<String, Object> context = new LinkedHashMap<>();
      context.put("shards", 12);
      context.put("dataset", "hdfs://nn/d");
      context.put("rates", Map.of("pass@1", 0.5, "compile", 0.9));
      log.warn("freeze", "two\nlines \"quoted\"", context);
    }
    String out = output();
    assertTrue(out.endsWith("\n"));
    assertEquals(1, out.lines().count(), out);
    assertEquals(
        "{\"context\":{\"dataset\":\"hdfs://nn/d\",\"rates\":{\"compile\":0.9,\"pass@1\":0.5},\"shards\":12},"
            + "\"level\":\"WARN\",\"message\":\"two\\nlines \\\"quoted\\\"\",\"stage\":\"freeze\","
            + "\"time\":\"2026-03-04T05:06:07.089Z\"}\n",
        out);
    JsonNode node = parse(out.strip());
    assertEquals("two\nlines \"quoted\"", node.get("message").asText());
  }

  @Test
  void timeKeepsThreeDigitsOfMillisecondsOnTheWholeSecond() {
    assertEquals("2026-01-01T00:00:00.000Z", JsonEventFormat.time(Instant.parse("2026-01-01T00:00:00Z")));
  }

  @Test
  void textEventIsOneReadableLine() {
    try (EventLog log = new EventLog(new TextEventFormat(), new StreamSink(stream), CLOCK)) {
      Map<String, Object> context = new LinkedHashMap<>();
      context.put("uri", "s3a://bucket/x");
      context.put("note", "two words");
      context.put("empty", "");
      context.put("n", 3);
      context.put("list", List.of("a", 1));
      log.info("bench", "generated", context);
      log.error("export", "failed\nbadly", Map.of());
      log.warn("bench", "slow");
    }
    assertEquals(
        "[bench] generated empty=\"\" list=[\"a\",1] n=3 note=\"two words\" uri=s3a://bucket/x\n"
            + "[export] error: failed\\nbadly\n"
            + "[bench] warning: slow\n",
        output());
  }

  @Test
  void textFormatRedactsLikeJson() {
    try (EventLog log = new EventLog(new TextEventFormat(), new StreamSink(stream), CLOCK)) {
      log.info("bench", "prompt was fn add(a: i32) {", Map.of("prompt", "fn add(a: i32) {", "aws", "AKIAIOSFODNN7EXAMPLE"));
    }
    assertEquals("[bench] prompt was [redacted] aws=[redacted] prompt=[redacted]\n", output());
  }

  @Test
  void fileSinkAppendsWholeLinesFromManyThreads(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("events.jsonl");
    Files.writeString(file, "{\"earlier\":true}\n");
    int threads = 8;
    int perThread = 250;
    try (EventLog log = EventLog.of(new LogSettings(LogSettings.Format.JSON, Optional.of(file)), stream, CLOCK)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            log.info("hash", "x".repeat(200 + i), Map.of("thread", thread, "i", i));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(1 + threads * perThread, lines.size());
    assertEquals("{\"earlier\":true}", lines.get(0));
    Set<String> seen = new HashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      JsonNode node = parse(line);
      JsonNode ctx = node.get("context");
      assertEquals(200 + ctx.get("i").asInt(), node.get("message").asText().length());
      assertTrue(seen.add(ctx.get("thread").asInt() + "/" + ctx.get("i").asInt()));
    }
    assertEquals("", output(), "nothing goes to the fallback stream when a file is set");
  }

  @Test
  void settingsDefaultToTextOnStderrAndPropertiesWinOverVariables() {
    assertEquals(LogSettings.DEFAULTS, LogSettings.read(Map.of(), Map.of()));
    assertEquals(LogSettings.DEFAULTS, LogSettings.read(Map.of("M31R_LOG_FORMAT", " "), Map.of()));
    LogSettings s = LogSettings.read(
        Map.of("M31R_LOG_FORMAT", "JSON", "M31R_LOG_FILE", "/var/log/a.jsonl"),
        Map.of("m31r.log.file", "/tmp/b.jsonl"));
    assertEquals(LogSettings.Format.JSON, s.format());
    assertEquals(Optional.of(Path.of("/tmp/b.jsonl")), s.file());
    LogSettings t = LogSettings.read(Map.of("M31R_LOG_FORMAT", "json"), Map.of("m31r.log.format", "text"));
    assertEquals(LogSettings.Format.TEXT, t.format());
  }

  @Test
  void aBadFormatIsRefusedNamingTheVariable() {
    BadInputException e = assertThrows(BadInputException.class,
        () -> LogSettings.read(Map.of("M31R_LOG_FORMAT", "xml"), Map.of()));
    assertEquals("M31R_LOG_FORMAT: expected text or json, got 'xml'", e.getMessage());
    BadInputException p = assertThrows(BadInputException.class,
        () -> LogSettings.read(Map.of(), Map.of("m31r.log.format", "yaml")));
    assertTrue(p.getMessage().startsWith("m31r.log.format: "), p.getMessage());
    assertThrows(BadInputException.class, () -> LogSettings.read(Map.of("M31R_LOG_FILE", "bad\0name"), Map.of()));
  }

  @Test
  void aLogFileInAMissingDirectoryIsRefusedAndNothingIsCreated(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("missing/sub/events.jsonl");
    LogSettings settings = new LogSettings(LogSettings.Format.JSON, Optional.of(file));
    BadInputException e = assertThrows(BadInputException.class, () -> EventLog.of(settings, stream, CLOCK));
    assertTrue(e.getMessage().startsWith("M31R_LOG_FILE (or -Dm31r.log.file): directory "), e.getMessage());
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
    try (var listing = Files.list(dir)) {
      assertEquals(0, listing.count());
    }
    assertEquals("", output());
  }

  @Test
  void aDirectoryIsNotALogFile(@TempDir Path dir) throws Exception {
    LogSettings settings = new LogSettings(LogSettings.Format.TEXT, Optional.of(dir));
    BadInputException e = assertThrows(BadInputException.class, () -> EventLog.of(settings, stream, CLOCK));
    assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    try (var listing = Files.list(dir)) {
      assertEquals(0, listing.count());
    }
  }

  @Test
  void fromEnvironmentWithoutSettingsWritesTextToStderr() {
    // Only meaningful where the test JVM has no log settings of its own.
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("M31R_LOG_FORMAT") == null
        && System.getenv("M31R_LOG_FILE") == null && System.getProperty("m31r.log.format") == null
        && System.getProperty("m31r.log.file") == null);
    PrintStream original = System.err;
    System.setErr(stream);
    try (EventLog log = EventLog.fromEnvironment()) {
      log.info("freeze", "done", Map.of("shards", 2));
    } finally {
      System.setErr(original);
    }
    assertEquals("[freeze] done shards=2\n", output());
  }

  @Test
  void eventsNeedAStage() {
    try (EventLog log = new EventLog(new JsonEventFormat(), new StreamSink(stream), CLOCK)) {
      assertThrows(IllegalArgumentException.class, () -> log.info(" ", "m"));
      assertThrows(NullPointerException.class, () -> log.info(null, "m"));
    }
    assertFalse(output().contains("m"));
  }

  @Test
  void theTimeIsUtcWhateverTheClockZone() throws Exception {
    Clock offset = Clock.fixed(Instant.parse("2026-06-30T23:59:59.999Z"), ZoneOffset.ofHours(9));
    try (EventLog log = new EventLog(new JsonEventFormat(), new StreamSink(stream), offset)) {
      log.error("tag", "m");
    }
    assertEquals("2026-06-30T23:59:59.999Z", parse(output().strip()).get("time").asText());
  }
}
