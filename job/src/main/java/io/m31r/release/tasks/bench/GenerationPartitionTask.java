package io.m31r.release.tasks.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;

/** Runs on an executor for {@code --generate-only}: generates every sample of its tasks. */
public final class GenerationPartitionTask implements FlatMapFunction<Iterator<PromptJob>, GeneratedSample> {
  private static final long serialVersionUID = 1L;

  private final GenerationSettings settings;

  public GenerationPartitionTask(GenerationSettings settings) {
    this.settings = settings;
  }

  @Override
  public Iterator<GeneratedSample> call(Iterator<PromptJob> jobs) {
    BatchGenerator generator = new BatchGenerator(settings);
    List<GeneratedSample> out = new ArrayList<>();
    jobs.forEachRemaining(job -> out.addAll(generator.generate(job)));
    return out.iterator();
  }
}
