package io.m31r.release.failure;

import java.util.Locale;
import java.util.Set;

/**
 * TEST HOOK, not a feature: makes {@code m31r export} fail or die at a named stage boundary so the
 * tests can prove that every interruption is recoverable without rerunning whole exports to the
 * point of failure. Read from the system property {@code m31r.test.fault} or the environment
 * variable {@code M31R_TEST_FAULT}, as {@code POINT:fail} (an infrastructure failure, exit 1, the
 * run's own cleanup runs) or {@code POINT:halt} ({@code Runtime.halt(137)}: no finally block, no
 * shutdown hook, as with SIGKILL). Unset, it does nothing. Points, in export order:
 * {@code after-freeze}, {@code benchmark}, {@code rebuild}, {@code after-tag}, {@code publish} (the
 * folder is in place, its publish record not yet written), {@code after-publish} (before the index).
 */
public final class FaultInjection {
  public static final String PROPERTY = "m31r.test.fault";
  public static final String ENV = "M31R_TEST_FAULT";
  public static final Set<String> POINTS = Set.of("after-freeze", "benchmark", "rebuild", "after-tag", "publish", "after-publish");
  /** The status a JVM killed by SIGKILL reports; a halt imitates it. */
  public static final int HALT_STATUS = 137;

  private FaultInjection() {}

  public static void at(String point) {
    if (!POINTS.contains(point)) {
      throw new IllegalArgumentException("unknown fault point " + point);
    }
    String spec = System.getProperty(PROPERTY);
    if (spec == null || spec.isBlank()) {
      spec = System.getenv(ENV);
    }
    if (spec == null || spec.isBlank()) {
      return;
    }
    int colon = spec.lastIndexOf(':');
    String where = colon < 0 ? spec : spec.substring(0, colon);
    String mode = colon < 0 ? "fail" : spec.substring(colon + 1).toLowerCase(Locale.ROOT);
    if (!where.equals(point)) {
      return;
    }
    if (mode.equals("halt")) {
      System.err.println("m31r: test hook: halting at " + point);
      System.err.flush();
      Runtime.getRuntime().halt(HALT_STATUS);
    }
    throw new InfrastructureException("test hook: injected failure at " + point);
  }
}
