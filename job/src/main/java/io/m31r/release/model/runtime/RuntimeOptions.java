package io.m31r.release.model.runtime;

import io.m31r.release.failure.BadInputException;
import java.util.Objects;

/** Device and precision for one loaded model; fp16 is refused on CPU. */
public record RuntimeOptions(DeviceSpec device, Precision precision) {
  public static final RuntimeOptions CPU_FP32 = new RuntimeOptions(DeviceSpec.CPU, Precision.FP32);

  public RuntimeOptions {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(precision, "precision");
    if (precision == Precision.FP16 && !device.gpu()) {
      throw new BadInputException("fp16 is only supported on a GPU device, not on " + device);
    }
  }
}
