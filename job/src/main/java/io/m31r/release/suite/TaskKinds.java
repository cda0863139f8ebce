package io.m31r.release.suite;

import java.util.List;
import java.util.Map;

/**
 * Decides a directory task's kind from its prompt, its category and metadata.yaml's optional
 * {@code kind}. A prompt with a {@code <FILL>} line is FIM whatever the category; otherwise the
 * upstream categories map as their prompts show: completion, functions, ownership and stdlib
 * prompts end inside a function body, bugs, refactor and projects prompts are whole programs
 * (with {@code fn main}) to rewrite. Any other category must say its kind in metadata.yaml.
 */
final class TaskKinds {
  static final String FILL = "<FILL>";

  private static final Map<String, TaskKind> BY_CATEGORY =
      Map.of(
          "completion", TaskKind.COMPLETION,
          "functions", TaskKind.COMPLETION,
          "ownership", TaskKind.COMPLETION,
          "stdlib", TaskKind.COMPLETION,
          "bugs", TaskKind.REWRITE,
          "refactor", TaskKind.REWRITE,
          "projects", TaskKind.REWRITE,
          "fim", TaskKind.FIM);

  /**
   * A completion stops where the model starts on what the suite supplies (tests, main) or leaves
   * the code (a closing Markdown fence); without the cut a model that keeps writing would collide
   * with tests.rs's {@code mod tests}.
   */
  static final List<String> COMPLETION_STOPS = List.of("\nfn main(", "\n#[cfg(test)]", "\nmod tests", "\n```");

  /** A rewrite keeps its own {@code main} but must not bring a test module of its own. */
  static final List<String> REWRITE_STOPS = List.of("\n#[cfg(test)]", "\n```");

  private TaskKinds() {}

  static TaskKind decide(String taskId, String category, String prompt, TaskKind declared) {
    int fillLines = countFillLines(prompt);
    if (fillLines > 1) {
      throw new BadTaskShapeException("suite task " + taskId + ": prompt.rs has " + fillLines + " <FILL> lines, a FIM prompt has exactly one");
    }
    if (fillLines == 0 && prompt.contains(FILL)) {
      throw new BadTaskShapeException("suite task " + taskId + ": prompt.rs has <FILL> inside a line; it must stand alone on its line");
    }
    TaskKind kind = declared != null ? declared : fillLines == 1 ? TaskKind.FIM : BY_CATEGORY.get(category);
    if (kind == null) {
      throw new BadTaskShapeException(
          "suite task " + taskId + ": category '" + category + "' has no default kind; set kind (completion, fim or rewrite) in metadata.yaml");
    }
    if (kind == TaskKind.FIM && fillLines == 0) {
      throw new BadTaskShapeException("suite task " + taskId + ": a FIM task needs one <FILL> line in prompt.rs");
    }
    if (kind != TaskKind.FIM && fillLines == 1) {
      throw new BadTaskShapeException("suite task " + taskId + ": prompt.rs has a <FILL> line but the task's kind is " + kind.wireName());
    }
    return kind;
  }

  static List<String> stopsFor(TaskKind kind) {
    return switch (kind) {
      case COMPLETION -> COMPLETION_STOPS;
      case REWRITE -> REWRITE_STOPS;
      case FIM, MULTIPL_E -> List.of();
    };
  }

  static int countFillLines(String prompt) {
    int n = 0;
    for (String line : prompt.split("\n", -1)) {
      if (line.strip().equals(FILL)) {
        n++;
      }
    }
    return n;
  }
}
