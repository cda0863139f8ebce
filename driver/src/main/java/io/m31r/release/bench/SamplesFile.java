package io.m31r.release.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.formats.StrictUtf8;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.suite.BenchSuite;
import io.m31r.release.suite.BenchTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads completions generated elsewhere: JSONL, one object per line with {@code task} (a suite
 * task id), {@code sample} (0-based index) and {@code completion}. Every task of the suite needs
 * samples 0..n-1 with the same n and no gaps or repeats: a partial file would publish a score for
 * a suite it did not cover.
 */
final class SamplesFile {
  record Contents(String sha256, Map<String, List<String>> completionsByTask, int samplesPerTask) {}

  private SamplesFile() {}

  static Contents read(Path file, BenchSuite suite, Integer expectedPerTask) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new BadSamplesFileException("samples " + file + ": unreadable: " + e.getMessage());
    }
    String text = StrictUtf8.decode(bytes)
        .orElseThrow(() -> new BadSamplesFileException("samples " + file + ": not valid UTF-8"));
    Map<String, TreeMap<Integer, String>> byTask = new TreeMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String where = "samples " + file.getFileName() + " line " + (i + 1);
      JsonNode o;
      try {
        o = CanonicalJson.mapper().readTree(lines[i]);
      } catch (IOException e) {
        throw new BadSamplesFileException(where + ": not a JSON object");
      }
      if (o == null || !o.path("task").isTextual() || !o.path("sample").canConvertToInt() || !o.path("sample").isIntegralNumber()
          || !o.path("completion").isTextual()) {
        throw new BadSamplesFileException(where + ": needs task (string), sample (integer) and completion (string)");
      }
      String task = o.get("task").asText();
      int index = o.get("sample").asInt();
      if (suite.task(task) == null) {
        throw new BadSamplesFileException(where + ": task " + task + " is not in the suite");
      }
      if (index < 0) {
        throw new BadSamplesFileException(where + ": sample index must be >= 0");
      }
      if (byTask.computeIfAbsent(task, t -> new TreeMap<>()).put(index, o.get("completion").asText()) != null) {
        throw new BadSamplesFileException(where + ": sample " + index + " of task " + task + " appears twice");
      }
    }
    Integer n = expectedPerTask;
    Map<String, List<String>> out = new TreeMap<>();
    for (BenchTask t : suite.tasks()) {
      TreeMap<Integer, String> s = byTask.get(t.id());
      if (s == null) {
        throw new BadSamplesFileException("samples " + file.getFileName() + ": task " + t.id() + " has no samples");
      }
      if (n == null) {
        n = s.size();
      }
      if (s.size() != n || s.lastKey() != n - 1) {
        throw new BadSamplesFileException("samples " + file.getFileName() + ": task " + t.id() + " has samples "
            + s.keySet() + ", expected 0.." + (n - 1) + " like every task");
      }
      out.put(t.id(), new ArrayList<>(s.values()));
    }
    return new Contents(Sha256.hex(bytes), out, n);
  }
}
