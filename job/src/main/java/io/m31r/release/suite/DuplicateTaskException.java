package io.m31r.release.suite;

/** Two tasks share one id (task_001 and task_0001 are the same task, as are repeated JSONL names). */
public final class DuplicateTaskException extends MalformedSuiteException {
  public DuplicateTaskException(String message) {
    super(message);
  }

  public DuplicateTaskException(String message, Throwable cause) {
    super(message, cause);
  }
}
