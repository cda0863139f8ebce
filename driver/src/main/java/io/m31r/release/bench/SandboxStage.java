package io.m31r.release.bench;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.sandbox.SandboxLimits;
import io.m31r.release.spark.SparkJobs;
import io.m31r.release.sandbox.Verdict;
import io.m31r.release.suite.AssembledProgram;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark part of the benchmark: distinct programs spread over the executors, one partition per
 * executor, each partition judging its programs with a pool as wide as the executor's cores;
 * verdicts collected on the driver. Deduplication happens before this stage, on the driver, so
 * that a program is compiled once in the whole cluster, not once per executor.
 */
public final class SandboxStage {
  private final SparkSession spark;

  public SandboxStage(SparkSession spark) {
    this.spark = spark;
  }

  /** Verdicts by program SHA-256. */
  public Map<String, Verdict> judge(List<AssembledProgram> distinct, SandboxLimits limits, String rustc, String workDir) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int cores = coresPerExecutor(jsc);
    int executors = Math.max(1, jsc.defaultParallelism() / cores);
    int partitions = Math.max(1, Math.min(executors, distinct.size()));
    // Interleave so that each partition gets a mix of tasks rather than one category's run.
    List<AssembledProgram> spread = new ArrayList<>(distinct.size());
    for (int p = 0; p < partitions; p++) {
      for (int i = p; i < distinct.size(); i += partitions) {
        spread.add(distinct.get(i));
      }
    }
    jsc.setJobDescription("m31r bench: judge " + distinct.size() + " programs");
    List<ProgramVerdict> verdicts;
    try {
      SandboxPartitionTask task = new SandboxPartitionTask(rustc, limits, workDir, cores);
      verdicts = SparkJobs.run("bench", () -> jsc.parallelize(spread, partitions).mapPartitions(task).collect());
    } finally {
      jsc.setJobDescription(null);
    }
    Map<String, Verdict> out = new HashMap<>();
    for (ProgramVerdict v : verdicts) {
      out.put(v.programSha256(), v.verdict());
    }
    if (out.size() != distinct.size()) {
      throw new InfrastructureException("bench: " + distinct.size() + " programs sent, " + out.size() + " verdicts returned");
    }
    return out;
  }

  /** spark.executor.cores where set; in local mode the driver is the one executor with all cores. */
  static int coresPerExecutor(JavaSparkContext jsc) {
    SparkConf conf = jsc.getConf();
    if (conf.contains("spark.executor.cores")) {
      return Math.max(1, conf.getInt("spark.executor.cores", 1));
    }
    if (jsc.master().startsWith("local")) {
      return Math.max(1, jsc.defaultParallelism());
    }
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
