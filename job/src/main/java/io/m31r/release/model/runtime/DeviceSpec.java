package io.m31r.release.model.runtime;

import ai.djl.Device;
import io.m31r.release.failure.BadInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where the forward pass runs: {@code cpu}, {@code gpu} (= {@code gpu:0}) or {@code gpu:N}. */
public record DeviceSpec(boolean gpu, int index) {
  private static final Pattern GPU = Pattern.compile("gpu(?::(\\d{1,4}))?");

  public static final DeviceSpec CPU = new DeviceSpec(false, 0);

  public DeviceSpec {
    if (index < 0 || (!gpu && index != 0)) {
      throw new IllegalArgumentException("bad device index " + index);
    }
  }

  public static DeviceSpec parse(String text) {
    if (text == null || text.equals("cpu")) {
      return CPU;
    }
    Matcher m = GPU.matcher(text);
    if (!m.matches()) {
      throw new BadInputException("device must be cpu, gpu or gpu:N, not '" + text + "'");
    }
    return new DeviceSpec(true, m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
  }

  public Device toDjl() {
    return gpu ? Device.gpu(index) : Device.cpu();
  }

  @Override
  public String toString() {
    return gpu ? "gpu:" + index : "cpu";
  }
}
