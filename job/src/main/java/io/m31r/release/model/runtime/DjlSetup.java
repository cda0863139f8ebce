package io.m31r.release.model.runtime;

import ai.djl.engine.Engine;
import io.m31r.release.failure.InfrastructureException;

/**
 * Starts DJL the one way that works here: offline (the CPU libtorch is a jar on the class path, and
 * a download attempt would hang or fail on a cluster) and with the PyTorch engine named explicitly,
 * since the tokenizers jar registers an engine of its own that may otherwise become the default.
 */
public final class DjlSetup {
  public static final String ENGINE = "PyTorch";
  static final String OFFLINE_PROPERTY = "ai.djl.offline";

  private DjlSetup() {}

  /** Sets {@code ai.djl.offline=true} unless the user chose a value; DJL reads it at first use. */
  public static void forceOffline() {
    if (System.getProperty(OFFLINE_PROPERTY) == null) {
      System.setProperty(OFFLINE_PROPERTY, "true");
    }
  }

  public static Engine pytorch() {
    forceOffline();
    try {
      return Engine.getEngine(ENGINE);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new InfrastructureException(
          "cannot start DJL's PyTorch engine (is pytorch-native-cpu on the class path, or "
              + "PYTORCH_LIBRARY_PATH set on GPU hosts?): " + e.getMessage(),
          e);
    }
  }
}
