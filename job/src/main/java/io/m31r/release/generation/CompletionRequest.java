package io.m31r.release.generation;

import io.m31r.release.suite.BenchTask;
import io.m31r.release.suite.FimPrompt;
import io.m31r.release.suite.TaskKind;
import java.util.List;
import java.util.Objects;

/**
 * What a model is asked for one sample.
 *
 * @param prefix the text before the cursor: the prompt, or a FIM prompt's part before the FILL line
 * @param suffix a FIM prompt's part after the FILL line; empty for other kinds
 * @param stopStrings where generation may stop early (the assembler cuts there anyway)
 * @param sampleIndex 0-based; with the seed it makes sampling reproducible per sample
 */
public record CompletionRequest(
    String taskId, TaskKind kind, String prefix, String suffix, List<String> stopStrings, int sampleIndex, long seed, int maxNewTokens) {

  public CompletionRequest {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(suffix, "suffix");
    stopStrings = List.copyOf(stopStrings);
    if (sampleIndex < 0) {
      throw new IllegalArgumentException("sampleIndex must be >= 0");
    }
    if (maxNewTokens <= 0) {
      throw new IllegalArgumentException("maxNewTokens must be > 0");
    }
  }

  public static CompletionRequest forTask(BenchTask task, int sampleIndex, long seed, int maxNewTokens) {
    if (task.kind() == TaskKind.FIM) {
      FimPrompt fim = FimPrompt.split(task);
      return new CompletionRequest(task.id(), task.kind(), fim.prefix(), fim.suffix(), task.stopStrings(), sampleIndex, seed, maxNewTokens);
    }
    return new CompletionRequest(task.id(), task.kind(), task.prompt(), "", task.stopStrings(), sampleIndex, seed, maxNewTokens);
  }
}
