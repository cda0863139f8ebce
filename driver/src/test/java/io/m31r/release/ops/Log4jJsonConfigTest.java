package io.m31r.release.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/log4j2-json.properties, selected with -Dlog4j2.configurationFile as docs/operations.md says,
 * turns a real Spark run's logs into one JSON object per line with the documented fields.
 */
class Log4jJsonConfigTest {
  private static final Path CONFIG = Path.of("..", "conf", "log4j2-json.properties").toAbsolutePath().normalize();
  private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

  @Test
  void sparkAndApplicationLogsAreOneJsonObjectPerLine(@TempDir Path dir) throws Exception {
    assertTrue(Files.isRegularFile(CONFIG), CONFIG.toString());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The module opens Spark needs on Java 17, as the test JVM has them.
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
          || arg.startsWith("-Djdk.reflect") || arg.startsWith("-Dio.netty")) {
        command.add(arg);
      }
    }
    command.add("-Xmx1g");
    command.add("-Dlog4j2.configurationFile=" + CONFIG);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SparkJsonLogProbe.class.getName());
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("probe did not finish in 120 s:\n" + Files.readString(err));
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), stderr);

    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (String line : stderr.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = mapper.readTree(line);
      } catch (Exception e) {
        throw new AssertionError("not a JSON line: " + line, e);
      }
      assertTrue(node.isObject(), line);
      assertTrue(TIME.matcher(node.path("time").asText()).matches(), line);
      assertTrue(Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL").contains(node.path("level").asText()), line);
      assertFalse(node.path("logger").asText().isEmpty(), line);
      assertTrue(node.has("message"), line);
      events.add(node);
    }
    Set<String> loggers = new TreeSet<>();
    events.forEach(e -> loggers.add(e.get("logger").asText()));
    assertTrue(loggers.contains("org.apache.spark.SparkContext"), "Spark's own lines: " + loggers);

    JsonNode info = events.stream().filter(e -> e.get("logger").asText().equals("io.m31r.probe")
        && e.get("level").asText().equals("INFO")).findFirst().orElseThrow();
    assertEquals("counted 10\nsecond line \"quoted\"", info.get("message").asText());
    assertFalse(info.has("exception"), "no exception field without an exception: " + info);

    JsonNode error = events.stream().filter(e -> e.get("logger").asText().equals("io.m31r.probe")
        && e.get("level").asText().equals("ERROR")).findFirst().orElseThrow();
    assertEquals("probe failure", error.get("message").asText());
    assertTrue(error.get("exception").asText().startsWith("java.lang.IllegalStateException: probe cause"), error.toString());
  }
}
