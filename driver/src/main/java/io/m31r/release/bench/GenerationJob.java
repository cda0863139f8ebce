package io.m31r.release.bench;

import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.model.runtime.DeviceSpec;
import io.m31r.release.sandbox.SandboxLimits;
import io.m31r.release.ship.BundleShipment;
import io.m31r.release.spark.SparkJobs;
import io.m31r.release.suite.BenchTask;
import io.m31r.release.tasks.bench.GenerateAndJudgeTask;
import io.m31r.release.tasks.bench.GeneratedSample;
import io.m31r.release.tasks.bench.GenerationPartitionTask;
import io.m31r.release.tasks.bench.GenerationSettings;
import io.m31r.release.tasks.bench.JudgedSample;
import io.m31r.release.tasks.bench.PromptJob;
import io.m31r.release.tasks.bench.SandboxSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark part of a model benchmark: tasks spread over all executor cores with
 * {@code mapPartitions}, n samples per task generated in one batch, seeded per (task, sample) by
 * the runtime, and (unless only generating) judged in the same tasks while the next batch
 * generates. Results come back sorted by task and sample, so the order never depends on the
 * cluster.
 */
public final class GenerationJob {
  private final SparkSession spark;

  public GenerationJob(SparkSession spark) {
    this.spark = spark;
  }

  /** {@code --generate-only}: the samples, nothing compiled. */
  public List<GeneratedSample> generate(List<BenchTask> tasks, GenerationSettings settings, ModelBundle verified) {
    List<GeneratedSample> out = new ArrayList<>(run(tasks, settings, verified, GenerationPartitionTask::new));
    out.sort(Comparator.comparing(GeneratedSample::taskId).thenComparingInt(GeneratedSample::index));
    return out;
  }

  /** Generation with the sandbox overlapped: every sample with its verdict. */
  public List<JudgedSample> generateAndJudge(
      List<BenchTask> tasks, GenerationSettings settings, ModelBundle verified, String rustc, SandboxLimits limits,
      String workDir) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int executors = SandboxJob.executorCount(jsc);
    int cores = SandboxJob.coresPerExecutor(jsc, executors);
    // CPU generation keeps one task per core busy, so each task's pool gets one thread; a GPU
    // task (one per executor) leaves the executor's cores to its pool.
    int threads = DeviceSpec.parse(settings.device()).gpu() ? cores : 1;
    SandboxSettings sandbox = new SandboxSettings(rustc, limits, workDir, threads);
    List<JudgedSample> out = new ArrayList<>(run(tasks, settings, verified, s -> new GenerateAndJudgeTask(s, sandbox)));
    out.sort(Comparator.comparing((JudgedSample j) -> j.sample().taskId()).thenComparingInt(j -> j.sample().index()));
    return out;
  }

  /**
   * Ships the verified bundle (see {@link BundleShipment} for the size rule), runs the tasks made
   * for the shipped settings, and removes what was staged.
   */
  private <T> List<T> run(
      List<BenchTask> tasks, GenerationSettings unshipped, ModelBundle verified,
      Function<GenerationSettings, FlatMapFunction<Iterator<PromptJob>, T>> taskFor) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Path staging = unshipped.stagingArea() == null ? null : new Path(unshipped.stagingArea());
    try (BundleShipment shipment = BundleShipment.ship(spark.sparkContext(), verified, staging)) {
      GenerationSettings settings = unshipped.withShipped(shipment.bundle());
      return run(jsc, tasks, settings, taskFor.apply(settings));
    }
  }

  private <T> List<T> run(
      JavaSparkContext jsc, List<BenchTask> tasks, GenerationSettings settings, FlatMapFunction<Iterator<PromptJob>, T> task) {
    List<PromptJob> jobs = new ArrayList<>();
    for (BenchTask t : tasks) {
      jobs.add(PromptJob.of(t, settings.maxNewTokens()));
    }
    int partitions = Math.max(1, Math.min(jobs.size(), jsc.defaultParallelism()));
    jsc.setJobDescription("m31r bench: generate " + settings.samplesPerTask() + " samples for " + jobs.size() + " tasks");
    try {
      boolean gpu = DeviceSpec.parse(settings.device()).gpu();
      return SparkJobs.run("bench", () -> {
        JavaRDD<PromptJob> rdd = jsc.parallelize(jobs, partitions);
        if (gpu) {
          rdd = rdd.withResources(GpuScheduling.profile(jsc.getConf(), settings.gpuDiscoveryScript()));
        }
        return rdd.mapPartitions(task).collect();
      });
    } finally {
      jsc.setJobDescription(null);
    }
  }
}
