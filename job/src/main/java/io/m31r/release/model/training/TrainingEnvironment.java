package io.m31r.release.model.training;

import io.m31r.release.failure.BadInputException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The process environment training runs in. libtorch reads these variables once, when it loads,
 * so they cannot be set from inside a JVM that may already have loaded it: training runs in a
 * child JVM started with exactly these values (whatever the parent had), and {@link ModelTrainer}
 * refuses to start in a process without them. Each one removes a way the same arithmetic could
 * take another path on another CPU (docs/rebuild.md has the measurements):
 *
 * <ul>
 *   <li>{@code ATEN_CPU_CAPABILITY=default}: ATen's baseline kernels, the same machine code on
 *       every x86-64 CPU. Its AVX2 and AVX-512 kernels sum in 8 or 16 lanes and use SLEEF's
 *       exp/log, so each gives other bits.
 *   <li>{@code MKL_CBWR=AVX2,STRICT}: MKL's GEMM on its AVX2 code path whatever newer
 *       instructions the CPU has, in strict mode, whose results do not depend on alignment or on
 *       the thread count. Strict mode exists only on the AVX2 and newer branches: with
 *       {@code COMPATIBLE,STRICT} two threads still gave other weights than one (measured), as
 *       MKL splits a GEMM's inner dimension between threads. Training therefore needs AVX2.
 *   <li>{@code MKL_DYNAMIC=FALSE}: MKL uses the thread count libtorch sets, never fewer.
 * </ul>
 */
public final class TrainingEnvironment {
  private static final Map<String, String> VARIABLES = new TreeMap<>(Map.of(
      "ATEN_CPU_CAPABILITY", "default",
      "MKL_CBWR", "AVX2,STRICT",
      "MKL_DYNAMIC", "FALSE"));

  private TrainingEnvironment() {}

  /** The variables and their values, sorted by name. */
  public static Map<String, String> variables() {
    return java.util.Collections.unmodifiableMap(VARIABLES);
  }

  /** Whether {@code env} (a process's environment) holds every variable with its value. */
  public static boolean active(Map<String, String> env) {
    return VARIABLES.entrySet().stream().allMatch(e -> e.getValue().equals(env.get(e.getKey())));
  }

  /** {@code parent} with every variable set to training's value, for a child process. */
  public static Map<String, String> forChild(Map<String, String> parent) {
    Map<String, String> out = new TreeMap<>(parent);
    out.putAll(VARIABLES);
    return out;
  }

  /**
   * Refuses a CPU without AVX2 (read from /proc/cpuinfo where it exists): MKL would quietly run
   * another branch there and train other bytes.
   */
  static void requireAvx2() {
    java.nio.file.Path cpuinfo = java.nio.file.Path.of("/proc/cpuinfo");
    if (!java.nio.file.Files.isReadable(cpuinfo)) {
      return;
    }
    try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(cpuinfo)) {
      boolean avx2 = lines.filter(l -> l.startsWith("flags")).findFirst().map(l -> (l + " ").contains(" avx2 ")).orElse(true);
      if (!avx2) {
        throw new BadInputException(
            "training needs a CPU with AVX2: MKL's thread-independent reproducible GEMM (MKL_CBWR=AVX2,STRICT) runs on no older branch");
      }
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      // Unreadable: MKL then decides, as it would on a system without /proc.
    }
  }

  /** Refuses, naming the first variable that is missing or has another value. */
  static void require(Map<String, String> env) {
    requireAvx2();
    for (Map.Entry<String, String> e : VARIABLES.entrySet()) {
      String found = env.get(e.getKey());
      if (!e.getValue().equals(found)) {
        throw new BadInputException(
            "training runs only in a process started with " + e.getKey() + "=" + e.getValue() + " (found "
                + (found == null ? "none" : found) + "); m31r sample starts such a child JVM itself, see docs/rebuild.md");
      }
    }
  }
}
