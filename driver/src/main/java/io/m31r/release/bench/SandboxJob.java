package io.m31r.release.bench;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.sandbox.SandboxLimits;
import io.m31r.release.sandbox.Verdict;
import io.m31r.release.spark.SparkJobs;
import io.m31r.release.suite.AssembledProgram;
import io.m31r.release.tasks.bench.ProgramVerdict;
import io.m31r.release.tasks.bench.SandboxPartitionTask;
import io.m31r.release.tasks.bench.SandboxSettings;
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
public final class SandboxJob {
  private final SparkSession spark;

  public SandboxJob(SparkSession spark) {
    this.spark = spark;
  }

  /** Verdicts by program SHA-256. */
  public Map<String, Verdict> judge(List<AssembledProgram> distinct, SandboxLimits limits, String rustc, String workDir) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int executors = executorCount(jsc);
    int cores = coresPerExecutor(jsc, executors);
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
      SandboxPartitionTask task = new SandboxPartitionTask(new SandboxSettings(rustc, limits, workDir, cores));
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

  /**
   * Executors registered now (the scheduler waits for them before the first job when
   * spark.scheduler.minRegisteredResourcesRatio asks it to); in local mode the driver is the one
   * executor. local-cluster is not local mode: it has separate executor JVMs like a cluster.
   */
  static int executorCount(JavaSparkContext jsc) {
    if (isLocalMode(jsc.master())) {
      return 1;
    }
    // The status tracker lists the driver too.
    return Math.max(1, jsc.sc().statusTracker().getExecutorInfos().length - 1);
  }

  /**
   * spark.executor.cores where set; otherwise the cluster's cores (defaultParallelism) shared out
   * over the executors, since a standalone executor takes all of its Worker's cores and the
   * driver's own core count says nothing about the executors' machines.
   */
  static int coresPerExecutor(JavaSparkContext jsc, int executors) {
    SparkConf conf = jsc.getConf();
    if (conf.contains("spark.executor.cores")) {
      return Math.max(1, conf.getInt("spark.executor.cores", 1));
    }
    return Math.max(1, jsc.defaultParallelism() / Math.max(1, executors));
  }

  static boolean isLocalMode(String master) {
    return master.equals("local") || master.startsWith("local[");
  }
}
