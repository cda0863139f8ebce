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
  public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
  static final String INTEROP_THREADS_PROPERTY = "ai.djl.pytorch.num_interop_threads";

  private DjlSetup() {}

  /** Sets {@code ai.djl.offline=true} unless the user chose a value; DJL reads it at first use. */
  public static void forceOffline() {
    if (System.getProperty(OFFLINE_PROPERTY) == null) {
      System.setProperty(OFFLINE_PROPERTY, "true");
    }
  }

  /**
   * Sets libtorch's intra-op thread count unless the user chose one; it only takes effect before
   * the engine starts. Measured back to back on 2 cores shared with other jobs, the upstream
   * checkpoint decoded at a median 9.6 ms per step with libtorch's default threading and 1.3 ms
   * with one thread per op: spinning OpenMP workers lose badly to contention.
   */
  public static void defaultThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
    if (System.getProperty(THREADS_PROPERTY) == null) {
      System.setProperty(THREADS_PROPERTY, Integer.toString(threads));
    }
    if (System.getProperty(INTEROP_THREADS_PROPERTY) == null) {
      System.setProperty(INTEROP_THREADS_PROPERTY, "1");
    }
  }

  /**
   * The PyTorch engine, offline. Unless configured otherwise, each op runs on one thread: inside a
   * Spark executor every task slot already has its core, and tasks sharing one model in one JVM
   * would oversubscribe the cores if each op fanned out as well. Callers that own an idle machine
   * may call {@link #defaultThreads} first with more (the CLI's {@code --threads}).
   */
  public static Engine pytorch() {
    forceOffline();
    defaultThreads(1);
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
