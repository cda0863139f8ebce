package io.m31r.release.tasks.bench;

import io.m31r.release.model.LoadedModel;
import io.m31r.release.model.ModelCache;
import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.model.runtime.DeviceSpec;
import io.m31r.release.model.runtime.Precision;
import io.m31r.release.model.runtime.RuntimeOptions;
import io.m31r.release.suite.BenchTask;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a generation task, callable without Spark (a GPU check on a machine with no Spark):
 * exactly what {@code GenerationPartitionTask} runs per partition, on a bundle and device the
 * caller chooses instead of the shipped bundle and the GPU Spark assigned.
 */
public final class GenerationBody {
  private GenerationBody() {}

  /**
   * @param bundle an opened (verified) bundle, e.g. {@code ModelBundle.open(dir, false)}
   * @param device e.g. {@code DeviceSpec.parse("gpu:0")}
   * @param tasks benchmark tasks, e.g. {@code new SuiteLoader().load(suiteDir).tasks()}
   * @return every task's samples, in task order
   */
  public static List<GeneratedSample> generate(
      ModelBundle bundle, DeviceSpec device, List<BenchTask> tasks, int samplesPerTask, long seed, int maxNewTokens) {
    GenerationSettings settings = new GenerationSettings(bundle.directory().toString(), null, !bundle.verified(),
        samplesPerTask, 0.0, 0, 1.0, seed, maxNewTokens, device.toString(), null, null);
    LoadedModel model = ModelCache.shared().get(bundle, new RuntimeOptions(device, Precision.FP32));
    BatchGenerator generator = new BatchGenerator(model, settings);
    List<GeneratedSample> out = new ArrayList<>();
    for (BenchTask t : tasks) {
      out.addAll(generator.generate(PromptJob.of(t, maxNewTokens)));
    }
    return out;
  }
}
