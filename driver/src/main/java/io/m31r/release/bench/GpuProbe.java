package io.m31r.release.bench;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.spark.SparkJobs;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.resource.ResourceInformation;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The start-up check of GPU generation: on every GPU executor, under the generation stage's own
 * resource profile, a task takes the GPU Spark assigned it and runs {@link DeviceCheck} there. A
 * JNI that does not match the host's libtorch starts the engine and then fails on every tensor
 * op, so only an op proves the node works. Executors whose probe fails are removed from the
 * application (their tasks run elsewhere); when none passes, the export is refused with exit 2:
 * a configuration error, which a retry cannot fix.
 */
public final class GpuProbe {
  private static final int ROUNDS = 4;

  /** One probe task's own account: where it ran, what Spark gave it, what it asked the runtime for. */
  public record Report(String executorId, String host, List<String> gpuAddresses, String device, String failure)
      implements Serializable {
    public boolean passed() {
      return failure == null;
    }

    String line() {
      return "gpu probe: executor " + executorId + " on " + host + " was assigned gpu " + gpuAddresses
          + ", asked the runtime for " + device + ": " + (passed() ? "ok" : failure);
    }
  }

  private GpuProbe() {}

  /**
   * Probes every executor; prints each task's report to {@code progress} (null: quiet); returns the
   * reports of the executors that passed.
   */
  public static List<Report> requireOnePassing(SparkContext sc, String discoveryScript, PrintStream progress) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
    int expected = sc.isLocal() ? 1 : Math.max(1, sc.statusTracker().getExecutorInfos().length - 1);
    int tasks = Math.max(1, expected);
    Map<String, Report> byExecutor = new TreeMap<>();
    jsc.setJobDescription("m31r gpu probe");
    try {
      for (int round = 0; round < ROUNDS && byExecutor.size() < expected; round++) {
        List<Integer> seeds = IntStream.range(0, tasks).boxed().toList();
        List<Report> got = SparkJobs.run("gpu probe", () -> {
          JavaRDD<Integer> rdd = jsc.parallelize(seeds, tasks);
          if (!sc.isLocal()) {
            rdd = rdd.withResources(GpuScheduling.profile(sc.conf(), discoveryScript));
          }
          return rdd.mapPartitions(new ProbeTask()).collect();
        });
        got.forEach(r -> byExecutor.merge(r.executorId(), r, (a, b) -> a.passed() ? a : b));
      }
    } finally {
      jsc.setJobDescription(null);
    }
    List<Report> passing = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (Report r : byExecutor.values()) {
      say(progress, r.line());
      if (r.passed()) {
        passing.add(r);
      } else {
        failed.add(r.executorId());
      }
    }
    if (passing.isEmpty()) {
      Report first = byExecutor.values().iterator().next();
      throw new BadInputException("no executor passed the GPU probe (" + byExecutor.size() + " tried); executor "
          + first.executorId() + ": " + first.failure());
    }
    if (!failed.isEmpty() && !sc.isLocal() && !sc.conf().getBoolean("spark.dynamicAllocation.enabled", false)) {
      // Exclusion of a node that cannot run generation: its executors leave the application, and
      // the generation tasks run on those that passed.
      say(progress, "gpu probe: removing executor(s) " + failed + " from the application");
      sc.killExecutors(CollectionConverters.asScala(failed).toSeq());
    }
    return passing;
  }

  private static void say(PrintStream progress, String line) {
    if (progress != null) {
      progress.println(line);
    }
  }

  /** Runs on an executor under the GPU profile; reports and never throws. */
  static final class ProbeTask implements FlatMapFunction<Iterator<Integer>, Report> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Report> call(Iterator<Integer> ignored) {
      List<String> addresses = new ArrayList<>();
      TaskContext ctx = TaskContext.get();
      if (ctx != null) {
        ResourceInformation info = ctx.resources().get(GpuScheduling.GPU).getOrElse(() -> null);
        if (info != null) {
          addresses.addAll(List.of(info.addresses()));
        }
      }
      var device = io.m31r.release.tasks.bench.AssignedGpu.device(io.m31r.release.model.runtime.DeviceSpec.parse("gpu"));
      String failure = DeviceCheck.run(device);
      return List.of(new Report(SparkEnv.get().executorId(), DeviceCheck.host(), addresses, device.toString(), failure))
          .iterator();
    }
  }
}
