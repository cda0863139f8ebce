package io.m31r.release.bench;

import io.m31r.release.model.runtime.DeviceSpec;
import io.m31r.release.spark.SparkJobs;
import io.m31r.release.suite.BenchTask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark part of a model benchmark's generation: tasks spread over all executor cores with
 * {@code mapPartitions}, n samples per task generated in one batch, seeded per (task, sample) by
 * the runtime. Results come back sorted by task and sample, so the order never depends on the
 * cluster.
 */
public final class GenerationStage {
  private final SparkSession spark;

  public GenerationStage(SparkSession spark) {
    this.spark = spark;
  }

  public List<GeneratedSample> generate(List<BenchTask> tasks, GenerationSettings settings) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<PromptJob> jobs = new ArrayList<>();
    for (BenchTask t : tasks) {
      jobs.add(PromptJob.of(t, settings.maxNewTokens()));
    }
    int partitions = Math.max(1, Math.min(jobs.size(), jsc.defaultParallelism()));
    jsc.setJobDescription("m31r bench: generate " + settings.samplesPerTask() + " samples for " + jobs.size() + " tasks");
    try {
      GenerationPartitionTask task = new GenerationPartitionTask(settings);
      boolean gpu = DeviceSpec.parse(settings.device()).gpu();
      List<GeneratedSample> out = new ArrayList<>(SparkJobs.run("bench", () -> {
        JavaRDD<PromptJob> rdd = jsc.parallelize(jobs, partitions);
        if (gpu) {
          rdd = rdd.withResources(GpuScheduling.profile(settings.gpuDiscoveryScript()));
        }
        return rdd.mapPartitions(task).collect();
      }));
      out.sort(Comparator.comparing(GeneratedSample::taskId).thenComparingInt(GeneratedSample::index));
      return out;
    } finally {
      jsc.setJobDescription(null);
    }
  }
}
