package io.m31r.release.bench;

import io.m31r.release.model.LoadedModel;
import io.m31r.release.model.ModelCache;
import io.m31r.release.model.generate.Completion;
import io.m31r.release.model.generate.GenerationRequest;
import io.m31r.release.model.generate.GenerationResult;
import io.m31r.release.model.generate.Generator;
import io.m31r.release.model.generate.PromptTooLongException;
import io.m31r.release.model.generate.SamplingParams;
import io.m31r.release.model.runtime.PeakRss;
import io.m31r.release.model.runtime.DeviceSpec;
import io.m31r.release.model.runtime.Precision;
import io.m31r.release.model.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Runs on an executor: generates every sample of its tasks, one batch of n samples per task.
 * The model comes from the JVM-wide cache, so all tasks and partitions of an executor share one
 * loaded model (verified once), whatever the number of partitions.
 */
final class GenerationPartitionTask implements FlatMapFunction<Iterator<PromptJob>, GeneratedSample> {
  private static final long serialVersionUID = 1L;

  private final GenerationSettings settings;

  GenerationPartitionTask(GenerationSettings settings) {
    this.settings = settings;
  }

  @Override
  public Iterator<GeneratedSample> call(Iterator<PromptJob> jobs) {
    DeviceSpec device = GpuScheduling.assignedDevice(DeviceSpec.parse(settings.device()));
    LoadedModel model = ModelCache.shared().get(
        Path.of(settings.modelDir()), settings.allowUnverified(), new RuntimeOptions(device, Precision.FP32));
    SamplingParams sampling = new SamplingParams(settings.temperature(), settings.topK(), settings.topP());
    List<GeneratedSample> out = new ArrayList<>();
    while (jobs.hasNext()) {
      PromptJob job = jobs.next();
      GenerationResult r;
      try {
        r = Generator.generate(model, new GenerationRequest(
            job.prompt(), settings.maxNewTokens(), sampling, settings.seed(), settings.samplesPerTask(), job.stops()));
      } catch (PromptTooLongException e) {
        for (int i = 0; i < settings.samplesPerTask(); i++) {
          out.add(new GeneratedSample(job.taskId(), i, "", 0, 0, null, null, model.bundle().modelSha256(), true));
        }
        continue;
      }
      OptionalLong rss = PeakRss.bytes();
      for (int i = 0; i < r.completions().size(); i++) {
        Completion c = r.completions().get(i);
        out.add(new GeneratedSample(job.taskId(), i, c.text(), c.tokens(), r.ttftMs(), r.msPerToken(),
            rss.isPresent() ? rss.getAsLong() : null, model.bundle().modelSha256(), false));
      }
    }
    return out.iterator();
  }
}
