package io.m31r.release.bench;

import io.m31r.release.model.runtime.DeviceSpec;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ExecutorResourceRequests;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;

/**
 * Stage-level scheduling of the generation stage on GPU clusters: each generation task asks for
 * one GPU and one CPU, so that only GPU executors run it and no two tasks share a device, while
 * the sandbox stage that follows keeps the default (CPU) profile. The executor's GPUs are found by
 * the discovery script of {@code conf/spark-gpu.conf}.
 *
 * <p>Written for YARN, Kubernetes and standalone clusters; local mode has no resource profiles, and
 * no GPU was available to run this path: it is unverified.
 */
final class GpuScheduling {
  static final String GPU = "gpu";

  private GpuScheduling() {}

  /** One GPU and one CPU per task, one GPU per executor found by {@code discoveryScript}. */
  static ResourceProfile profile(String discoveryScript) {
    ExecutorResourceRequests executor = new ExecutorResourceRequests().resource(GPU, 1, discoveryScript, "nvidia.com");
    TaskResourceRequests task = new TaskResourceRequests().cpus(1).resource(GPU, 1.0);
    return new ResourceProfileBuilder().require(executor).require(task).build();
  }

  /**
   * The device this task was given: the first GPU address Spark assigned it, else the configured
   * device (the whole machine's GPUs are ours when no scheduler assigns them).
   */
  static DeviceSpec assignedDevice(DeviceSpec configured) {
    TaskContext ctx = TaskContext.get();
    if (!configured.gpu() || ctx == null) {
      return configured;
    }
    ResourceInformation info = ctx.resources().get(GPU).getOrElse(() -> null);
    if (info == null || info.addresses().length == 0) {
      return configured;
    }
    return new DeviceSpec(true, Integer.parseInt(info.addresses()[0]));
  }
}
