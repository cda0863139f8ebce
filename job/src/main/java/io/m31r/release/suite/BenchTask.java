package io.m31r.release.suite;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One benchmark task, fully read into memory (tasks are a few hundred bytes) so that it travels to
 * executors with the samples and never needs the suite's file system there.
 *
 * @param id {@code <category>/task_NNN} for directory suites, the JSONL {@code name} otherwise
 * @param solution the reference program, or null where the format has none (MultiPL-E)
 * @param stopStrings where a completion is cut; empty for kinds that take the completion whole
 */
public record BenchTask(
    String id,
    String category,
    Difficulty difficulty,
    TaskKind kind,
    String prompt,
    String solution,
    String tests,
    List<String> stopStrings,
    List<String> tags)
    implements Serializable {

  public BenchTask {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(difficulty, "difficulty");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(tests, "tests");
    stopStrings = List.copyOf(stopStrings);
    tags = List.copyOf(tags);
    if (id.isEmpty()) {
      throw new IllegalArgumentException("task id must not be empty");
    }
    for (String s : stopStrings) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException("task " + id + ": an empty stop string would cut every completion to nothing");
      }
    }
  }

  public boolean hasSolution() {
    return solution != null;
  }
}
