package io.m31r.release.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.m31r.release.formats.StrictMappers;
import io.m31r.release.formats.StrictUtf8;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a MultiPL-E / HumanEval-Rust JSONL file: one object per line with {@code name},
 * {@code prompt}, {@code tests} and {@code stop_tokens}. Other fields MultiPL-E ships
 * ({@code language}, {@code doctests}, {@code original}, ...) are ignored. Blank lines are refused
 * except at the end, so that line numbers in messages match an editor's.
 */
final class MultiplEReader {
  static final String CATEGORY = "multipl_e";
  /** The tests' entry point, which the assembler renames (see {@link EndMarker}). */
  static final java.util.regex.Pattern TESTS_MAIN = java.util.regex.Pattern.compile("(?m)^fn main\\(\\)");

  private static final ObjectMapper JSON = StrictMappers.json();

  BenchSuite read(String source, byte[] content) {
    String text = StrictUtf8.decode(content).orElseThrow(
        () -> new NonUtf8TaskFileException("suite " + source + ": not valid UTF-8"));
    List<BenchTask> tasks = new ArrayList<>();
    Set<String> names = new HashSet<>();
    String[] lines = text.split("\n", -1);
    int last = lines.length;
    while (last > 0 && lines[last - 1].isBlank()) {
      last--;
    }
    for (int i = 0; i < last; i++) {
      String where = "suite " + source + " line " + (i + 1);
      if (lines[i].isBlank()) {
        throw new BadTaskShapeException(where + ": blank line");
      }
      JsonNode o;
      try {
        o = JSON.readTree(lines[i]);
      } catch (IOException e) {
        throw new BadTaskShapeException(where + ": not a JSON object");
      }
      if (o == null || !o.isObject()) {
        throw new BadTaskShapeException(where + ": not a JSON object");
      }
      String name = requiredText(o, "name", where);
      where = "suite task " + name + " (line " + (i + 1) + ")";
      checkName(name, where);
      if (!names.add(name)) {
        throw new DuplicateTaskException(where + ": the name appears twice");
      }
      String prompt = requiredText(o, "prompt", where);
      String tests = requiredText(o, "tests", where);
      java.util.regex.Matcher main = TESTS_MAIN.matcher(tests);
      if (!main.find() || main.find()) {
        throw new BadTaskShapeException(where + ": tests must hold exactly one line starting 'fn main()'");
      }
      JsonNode stops = o.get("stop_tokens");
      if (stops == null || !stops.isArray()) {
        throw new BadTaskShapeException(where + ": stop_tokens must be a list of strings");
      }
      List<String> stopTokens = new ArrayList<>();
      for (JsonNode s : stops) {
        if (!s.isTextual() || s.asText().isEmpty()) {
          throw new BadTaskShapeException(where + ": stop_tokens must be non-empty strings");
        }
        stopTokens.add(s.asText());
      }
      tasks.add(new BenchTask(name, CATEGORY, Difficulty.UNRATED, TaskKind.MULTIPL_E, prompt, null, tests, stopTokens, List.of()));
    }
    if (tasks.isEmpty()) {
      throw new MalformedSuiteException("suite " + source + ": no tasks");
    }
    tasks.sort((x, y) -> io.m31r.release.formats.Sha256sumListing.compareUtf8(x.id(), y.id()));
    return new BenchSuite(BenchSuite.Format.MULTIPL_E_JSONL, SuiteDigest.ofJsonl(content), tasks);
  }

  /** Names label reports and results; one that looks like a path could be taken for one later. */
  private static void checkName(String name, String where) {
    if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.contains("..")) {
      throw new SuitePathEscapeException(where + ": the name must not hold a path separator or '..'");
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw new BadTaskShapeException(where + ": the name holds a control character");
      }
    }
  }

  private static String requiredText(JsonNode o, String field, String where) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new BadTaskShapeException(where + ": '" + field + "' must be a string");
    }
    return v.asText();
  }
}
