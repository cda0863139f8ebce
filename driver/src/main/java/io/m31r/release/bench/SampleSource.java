package io.m31r.release.bench;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.tasks.bench.GenerationSettings;
import java.nio.file.Path;
import java.util.Objects;

/** Where a benchmark's completions come from: one type per mode of {@code m31r bench}. */
public sealed interface SampleSource permits SampleSource.Model, SampleSource.Oracle, SampleSource.SamplesFile {
  /** A model generates them on the executors ({@code --model}). */
  record Model(GenerationSettings generation) implements SampleSource {
    public Model {
      Objects.requireNonNull(generation, "generation");
    }
  }

  /** Each task's own solution.rs, the suite's self-check ({@code --oracle}): one sample per task. */
  record Oracle() implements SampleSource {}

  /**
   * Completions generated elsewhere ({@code --from-samples}).
   *
   * @param samplesPerTask the n the file must have per task, or null to take it from the file
   */
  record SamplesFile(Path file, Integer samplesPerTask) implements SampleSource {
    public SamplesFile {
      Objects.requireNonNull(file, "file");
    }
  }

  static SampleSource model(GenerationSettings generation) {
    return new Model(generation);
  }

  /** @param samplesPerTask what the user asked for, or null; the oracle has exactly one */
  static SampleSource oracle(Integer samplesPerTask) {
    if (samplesPerTask != null && samplesPerTask != 1) {
      throw new BadInputException("bench --oracle: the oracle has exactly one sample per task (its solution.rs)");
    }
    return new Oracle();
  }

  static SampleSource samplesFile(Path file, Integer samplesPerTask) {
    return new SamplesFile(file, samplesPerTask);
  }
}
