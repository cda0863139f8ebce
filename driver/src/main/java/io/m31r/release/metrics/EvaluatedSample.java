package io.m31r.release.metrics;

import io.m31r.release.sandbox.SampleStatus;
import io.m31r.release.suite.Difficulty;
import java.io.Serializable;
import java.util.Objects;

/**
 * What the metrics need of one judged sample.
 *
 * @param msPerToken generation cost, or null when no model generated it (oracle, samples file)
 * @param peakMemoryBytes the generator's peak memory, or null likewise
 */
public record EvaluatedSample(
    String taskId,
    String category,
    Difficulty difficulty,
    int sampleIndex,
    SampleStatus status,
    boolean compiled,
    long compileMillis,
    long runMillis,
    Double msPerToken,
    Long peakMemoryBytes)
    implements Serializable {

  public EvaluatedSample {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(difficulty, "difficulty");
    Objects.requireNonNull(status, "status");
    if (sampleIndex < 0) {
      throw new IllegalArgumentException("sampleIndex must be >= 0");
    }
  }
}
