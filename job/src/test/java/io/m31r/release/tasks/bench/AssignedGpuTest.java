package io.m31r.release.tasks.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.m31r.release.model.runtime.DeviceSpec;
import org.junit.jupiter.api.Test;

class AssignedGpuTest {
  @Test
  void outsideASparkTaskTheConfiguredDeviceStands() {
    assertEquals(DeviceSpec.CPU, AssignedGpu.device(DeviceSpec.CPU));
    assertEquals(new DeviceSpec(true, 3), AssignedGpu.device(new DeviceSpec(true, 3)));
  }
}
