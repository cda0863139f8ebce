package io.m31r.release.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The upstream training run and benchmark suite in {@code ../shared} (system properties
 * {@code m31r.upstreamRun} and {@code m31r.upstreamBenchmarks} override). Tests using them skip
 * where they are absent; nothing of the project's own depends on them.
 */
public final class UpstreamShared {
  public static final String RUN_NAME = "20260212_224254_42";

  private UpstreamShared() {}

  /** {@code experiments/<run>} of the upstream run, when present. */
  public static Optional<Path> run() {
    Path dir = Path.of(System.getProperty("m31r.upstreamRun", "../../shared/upstream-run"))
        .resolve("experiments").resolve(RUN_NAME).toAbsolutePath().normalize();
    return Files.isDirectory(dir.resolve("checkpoints")) ? Optional.of(dir) : Optional.empty();
  }

  /** The upstream benchmark suite (one folder per category), when present. */
  public static Optional<Path> benchmarks() {
    Path dir = Path.of(System.getProperty("m31r.upstreamBenchmarks", "../../shared/upstream-benchmarks")).toAbsolutePath().normalize();
    return Files.isDirectory(dir.resolve("completion")) ? Optional.of(dir) : Optional.empty();
  }
}
