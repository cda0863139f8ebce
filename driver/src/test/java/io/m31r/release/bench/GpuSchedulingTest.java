package io.m31r.release.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.testing.Cli;
import org.apache.spark.SparkConf;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.TaskResourceProfile;
import org.junit.jupiter.api.Test;

/** The GPU profile's shape (the GPU path itself cannot run here: no GPU, no CUDA libtorch). */
class GpuSchedulingTest {
  @Test
  void withDynamicAllocationGenerationGetsGpuExecutorsOfItsOwn() {
    ResourceProfile p = GpuScheduling.profile(new SparkConf().set("spark.dynamicAllocation.enabled", "true"), "./gpu-discovery.sh");
    assertFalse(p instanceof TaskResourceProfile);
    assertEquals(1.0, p.taskResources().get("gpu").get().amount(), 0.0);
    assertEquals(1.0, p.taskResources().get("cpus").get().amount(), 0.0);
    assertEquals(1L, p.executorResources().get("gpu").get().amount());
    assertEquals("./gpu-discovery.sh", p.executorResources().get("gpu").get().discoveryScript());
  }

  @Test
  void withoutDynamicAllocationOnlyTheTasksAskForAGpu() {
    ResourceProfile p = GpuScheduling.profile(new SparkConf(), "./gpu-discovery.sh");
    assertTrue(p instanceof TaskResourceProfile, p.getClass().getName());
    assertEquals(1.0, p.taskResources().get("gpu").get().amount(), 0.0);
    assertTrue(p.executorResources().get("gpu").isEmpty());
  }

  @Test
  void anUnknownDeviceIsBadInput() {
    Cli.Run r = Cli.run("bench", "--suite", "src/test/resources/upstream-benchmarks", "--model", "x", "--device", "tpu");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("device must be cpu, gpu or gpu:N, not 'tpu'"), r.err());
  }
}
