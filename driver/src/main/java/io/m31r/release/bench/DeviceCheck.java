package io.m31r.release.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.m31r.release.model.runtime.DeviceSpec;
import io.m31r.release.model.runtime.DjlSetup;
import io.m31r.release.process.LocalHost;

/**
 * A tiny op on one device through the same engine the generation uses: 1 + 1 on four elements,
 * summed, read back. Returns null when it works, else one line naming the device, the libtorch
 * version, the JNI and the host.
 */
public final class DeviceCheck {
  private DeviceCheck() {}

  public static String run(DeviceSpec device) {
    String libtorch = "libtorch unknown (engine did not start)";
    try {
      Engine engine = DjlSetup.pytorch();
      libtorch = "libtorch " + engine.getVersion();
      try (NDManager m = engine.newBaseManager(device.toDjl())) {
        NDArray ones = m.ones(new Shape(4));
        float sum = ones.add(ones).sum().getFloat();
        if (sum != 8f) {
          return describe(device, libtorch, "1 + 1 summed over 4 elements gave " + sum + ", not 8");
        }
      }
      return null;
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      return describe(device, libtorch, e.getClass().getSimpleName() + ": "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
  }

  private static String describe(DeviceSpec device, String libtorch, String what) {
    return "device " + device + " failed a tensor op on " + host() + " (" + libtorch + ", " + jni() + "): " + what;
  }

  /** Which JNI DJL loads: its engine version, and where it was told to look for libtorch. */
  static String jni() {
    String djl = Engine.getDjlVersion();
    String flavor = System.getenv("PYTORCH_FLAVOR");
    String version = System.getenv("PYTORCH_VERSION");
    String path = System.getenv("PYTORCH_LIBRARY_PATH");
    return "DJL " + (djl == null ? "unknown" : djl) + " JNI for PYTORCH_VERSION=" + (version == null ? "(bundled)" : version)
        + " PYTORCH_FLAVOR=" + (flavor == null ? "(bundled)" : flavor)
        + (path == null ? "" : " PYTORCH_LIBRARY_PATH=" + path);
  }

  static String host() {
    return "host " + LocalHost.name();
  }
}
