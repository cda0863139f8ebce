package io.m31r.release.tasks.bench;

import io.m31r.release.model.runtime.DeviceSpec;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/** The executor's half of GPU scheduling: which device the running task was given. */
public final class AssignedGpu {
  /** Spark's resource name for GPUs, in profiles on the driver and assignments in tasks. */
  public static final String GPU = "gpu";

  private AssignedGpu() {}

  /**
   * The device this task was given: the GPU address Spark assigned it. Only where no scheduler
   * assigns resources (local mode, or a direct call outside Spark) is the configured device used.
   */
  public static DeviceSpec device(DeviceSpec configured) {
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
