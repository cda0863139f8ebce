package io.m31r.release.tasks.bench;

import io.m31r.release.generation.CompletionRequest;
import io.m31r.release.suite.BenchTask;
import java.io.Serializable;
import java.util.List;

/**
 * What an executor needs for one task: the task (to assemble its programs), the text before the
 * cursor and where to stop.
 */
public record PromptJob(BenchTask task, String prompt, List<String> stops) implements Serializable {
  public PromptJob {
    stops = List.copyOf(stops);
  }

  String taskId() {
    return task.id();
  }

  public static PromptJob of(BenchTask task, int maxNewTokens) {
    CompletionRequest r = CompletionRequest.forTask(task, 0, 0, maxNewTokens);
    return new PromptJob(task, r.prefix(), r.stopStrings());
  }
}
