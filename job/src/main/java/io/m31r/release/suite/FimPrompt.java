package io.m31r.release.suite;

/**
 * A FIM prompt split around its {@code <FILL>} line: the prefix ends with the newline before that
 * line, the suffix starts with the newline that ended it. The whole line, indentation included, is
 * what the middle replaces, so a model's middle carries its own indentation.
 */
public record FimPrompt(String prefix, String suffix) {
  public static FimPrompt split(BenchTask task) {
    if (task.kind() != TaskKind.FIM) {
      throw new IllegalArgumentException("task " + task.id() + " is not a FIM task");
    }
    String p = task.prompt();
    int at = 0;
    while (at <= p.length()) {
      int end = p.indexOf('\n', at);
      int lineEnd = end < 0 ? p.length() : end;
      if (p.substring(at, lineEnd).strip().equals(TaskKinds.FILL)) {
        return new FimPrompt(p.substring(0, at), p.substring(lineEnd));
      }
      if (end < 0) {
        break;
      }
      at = end + 1;
    }
    throw new IllegalStateException("task " + task.id() + ": no <FILL> line, which loading checks");
  }
}
