package io.m31r.release.tasks.bench;

import io.m31r.release.model.LoadedModel;
import io.m31r.release.model.ModelCache;
import io.m31r.release.model.generate.Completion;
import io.m31r.release.model.generate.GenerationRequest;
import io.m31r.release.model.generate.GenerationResult;
import io.m31r.release.model.generate.Generator;
import io.m31r.release.model.generate.PromptTooLongException;
import io.m31r.release.model.generate.SamplingParams;
import io.m31r.release.model.runtime.DeviceSpec;
import io.m31r.release.model.runtime.PeakRss;
import io.m31r.release.model.runtime.Precision;
import io.m31r.release.model.runtime.RuntimeOptions;
import io.m31r.release.tasks.ship.ExecutorBundles;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * On an executor: one task's n samples in one batch. The bundle is the executor's own verified copy
 * of what the driver shipped or staged (never a driver path), and the model comes from the JVM-wide
 * cache, so all tasks and partitions of an executor share one loaded model, on the device Spark
 * assigned this task.
 */
public final class BatchGenerator {
  private final GenerationSettings settings;
  private final LoadedModel model;
  private final SamplingParams sampling;

  /** In a Spark task: the shipped bundle, on the device Spark assigned this task. */
  BatchGenerator(GenerationSettings settings) {
    this(ModelCache.shared().get(ExecutorBundles.open(settings.shipped()),
        new RuntimeOptions(AssignedGpu.device(DeviceSpec.parse(settings.device())), Precision.FP32)), settings);
  }

  /** The task's body on a model loaded by the caller (see {@link GenerationBody}). */
  BatchGenerator(LoadedModel model, GenerationSettings settings) {
    this.settings = settings;
    this.model = model;
    this.sampling = new SamplingParams(settings.temperature(), settings.topK(), settings.topP());
  }

  List<GeneratedSample> generate(PromptJob job) {
    String modelSha = model.bundle().modelSha256();
    List<GeneratedSample> out = new ArrayList<>();
    GenerationResult r;
    try {
      r = Generator.generate(model, new GenerationRequest(
          job.prompt(), settings.maxNewTokens(), sampling, settings.seed(), settings.samplesPerTask(), job.stops()));
    } catch (PromptTooLongException e) {
      for (int i = 0; i < settings.samplesPerTask(); i++) {
        out.add(new GeneratedSample(job.taskId(), i, "", 0, 0, null, null, modelSha, true));
      }
      return out;
    }
    OptionalLong rss = PeakRss.bytes();
    for (int i = 0; i < r.completions().size(); i++) {
      Completion c = r.completions().get(i);
      out.add(new GeneratedSample(job.taskId(), i, c.text(), c.tokens(), r.ttftMs(), r.msPerToken(),
          rss.isPresent() ? rss.getAsLong() : null, modelSha, false));
    }
    return out;
  }
}
