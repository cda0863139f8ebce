package io.m31r.release.suite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.m31r.release.formats.StrictMappers;
import io.m31r.release.formats.YamlAliases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A task's metadata.yaml, read strictly: {@code difficulty} (easy|medium|hard) is required;
 * {@code category} (must match the folder), {@code tags} (list of strings),
 * {@code expected_runtime} (seconds, a positive number) and {@code kind} (completion|fim|rewrite,
 * overriding the category's default) are optional; any other key is refused, as are YAML anchors
 * and aliases, which Jackson would read as plain strings.
 */
public record TaskMetadata(Difficulty difficulty, String category, List<String> tags, TaskKind kind) {
  private static final Set<String> KEYS = Set.of("difficulty", "category", "tags", "expected_runtime", "kind");
  private static final ObjectMapper YAML = StrictMappers.yaml();

  public TaskMetadata {
    tags = List.copyOf(tags);
  }

  static TaskMetadata parse(String taskId, String text) {
    rejectAnchorsAndAliases(taskId, text);
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw bad(taskId, "not valid YAML: " + firstLine(e));
    }
    if (root == null || !root.isObject()) {
      throw bad(taskId, "must be a mapping of keys to values");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw bad(taskId, "unknown key '" + key + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
      }
    }
    JsonNode d = root.get("difficulty");
    if (d == null || !d.isTextual()) {
      throw bad(taskId, "difficulty is required: easy, medium or hard");
    }
    Difficulty difficulty = Difficulty.parseMetadata(d.asText());
    if (difficulty == null) {
      throw bad(taskId, "difficulty '" + d.asText() + "' is not easy, medium or hard");
    }
    String category = null;
    JsonNode c = root.get("category");
    if (c != null) {
      if (!c.isTextual()) {
        throw bad(taskId, "category must be a string");
      }
      category = c.asText();
    }
    List<String> tags = new ArrayList<>();
    JsonNode t = root.get("tags");
    if (t != null && !t.isNull()) {
      if (!t.isArray()) {
        throw bad(taskId, "tags must be a list of strings");
      }
      for (JsonNode tag : t) {
        if (!tag.isTextual()) {
          throw bad(taskId, "tags must be a list of strings");
        }
        tags.add(tag.asText());
      }
    }
    JsonNode rt = root.get("expected_runtime");
    if (rt != null && (!rt.isNumber() || rt.asDouble() <= 0)) {
      throw bad(taskId, "expected_runtime must be a positive number of seconds");
    }
    TaskKind kind = null;
    JsonNode k = root.get("kind");
    if (k != null) {
      kind = switch (k.isTextual() ? k.asText().toLowerCase(Locale.ROOT) : "") {
        case "completion" -> TaskKind.COMPLETION;
        case "fim" -> TaskKind.FIM;
        case "rewrite" -> TaskKind.REWRITE;
        default -> throw bad(taskId, "kind '" + k.asText() + "' is not completion, fim or rewrite");
      };
    }
    return new TaskMetadata(difficulty, category, tags, kind);
  }

  private static void rejectAnchorsAndAliases(String taskId, String text) {
    Optional<YamlAliases.Use> use;
    try {
      use = YamlAliases.first(YAML, text.getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw bad(taskId, "not valid YAML: " + firstLine(e));
    } catch (IOException e) {
      throw bad(taskId, "unreadable: " + e.getMessage());
    }
    if (use.isPresent()) {
      throw bad(taskId, "YAML anchors and aliases are not allowed");
    }
  }

  private static String firstLine(IOException e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return String.valueOf(m).lines().findFirst().orElse("");
  }

  private static BadTaskMetadataException bad(String taskId, String what) {
    return new BadTaskMetadataException("suite task " + taskId + ": metadata.yaml: " + what);
  }
}
