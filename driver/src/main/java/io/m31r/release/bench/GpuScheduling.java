package io.m31r.release.bench;

import io.m31r.release.tasks.bench.AssignedGpu;
import org.apache.spark.SparkConf;
import org.apache.spark.resource.ExecutorResourceRequests;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;

/**
 * Stage-level scheduling of generation on GPU clusters: each generation task (and each start-up
 * probe task) asks for one GPU and one CPU, so that only GPU executors run it and no two tasks
 * share a device, while freeze, sandbox-only and every other stage keep the default profile and
 * never hold a GPU.
 *
 * <ul>
 *   <li>dynamic allocation off: a {@code TaskResourceProfile} (task requests only). Spark runs it
 *       on the default executors, whose GPUs come from {@code spark.executor.resource.gpu.*}; those
 *       executors hold their GPUs for the whole application;
 *   <li>dynamic allocation on: a full {@code ResourceProfile} (executor and task requests), so
 *       Spark starts GPU executors for generation only and releases them when idle.
 * </ul>
 */
public final class GpuScheduling {
  public static final String GPU = AssignedGpu.GPU;
  public static final String DISCOVERY_SCRIPT_KEY = "spark.executor.resource.gpu.discoveryScript";

  private GpuScheduling() {}

  /** The profile of GPU stages for this application's allocation mode. */
  public static ResourceProfile profile(SparkConf conf, String discoveryScript) {
    TaskResourceRequests task = new TaskResourceRequests().cpus(1).resource(GPU, 1.0);
    ResourceProfileBuilder builder = new ResourceProfileBuilder().require(task);
    if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      builder.require(new ExecutorResourceRequests().resource(GPU, 1, discoveryScript, "nvidia.com"));
    }
    // Without executor requests, build() gives a TaskResourceProfile.
    return builder.build();
  }
}
