package io.m31r.release.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The Spark event log of one application (JSON lines): the driver's own record of which executors
 * joined and which executor ran every task attempt, independent of any log level.
 */
record EventLog(String appId, List<JsonNode> events) {
  static EventLog read(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    if (files.size() != 1) {
      throw new AssertionError("expected one event log in " + dir + ", found " + files);
    }
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(files.get(0))) {
      if (!line.isBlank()) {
        events.add(mapper.readTree(line));
      }
    }
    String appId = events.stream()
        .filter(e -> is(e, "SparkListenerApplicationStart"))
        .map(e -> e.path("App ID").asText())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no application start in " + files.get(0)));
    return new EventLog(appId, events);
  }

  Set<String> executorsAdded() {
    return ids(events.stream().filter(e -> is(e, "SparkListenerExecutorAdded")).map(e -> e.path("Executor ID")));
  }

  /** Executors that completed at least one task successfully. */
  Set<String> executorsWithSuccessfulTasks() {
    return ids(taskEnds().filter(e -> reason(e).equals("Success")).map(e -> e.path("Task Info").path("Executor ID")));
  }

  /** Task attempts that failed because their executor was lost, by executor. */
  Set<String> executorsThatLostTasks() {
    return ids(taskEnds()
        .filter(e -> reason(e).equals("ExecutorLostFailure"))
        .map(e -> e.path("Task Info").path("Executor ID")));
  }

  private Stream<JsonNode> taskEnds() {
    return events.stream().filter(e -> is(e, "SparkListenerTaskEnd"));
  }

  private static String reason(JsonNode taskEnd) {
    return taskEnd.path("Task End Reason").path("Reason").asText();
  }

  private static boolean is(JsonNode e, String type) {
    return type.equals(e.path("Event").asText());
  }

  private static Set<String> ids(Stream<JsonNode> nodes) {
    Set<String> out = new TreeSet<>();
    nodes.filter(n -> !n.isMissingNode()).forEach(n -> out.add(n.asText()));
    return out;
  }
}
