package io.m31r.release.sandbox;

import java.io.Serializable;

/**
 * Limits for one sample. Memory is address space (RLIMIT_AS), which is what can be set without
 * cgroups; rustc needs far more of it than the small programs it builds.
 *
 * @param outputCapBytes bytes kept of each of stdout and stderr; the rest is read and dropped
 * @param maxProcesses tasks (processes and threads) the program may have at once
 * @param maxFileBytes largest file the program may write (RLIMIT_FSIZE)
 */
public record SandboxLimits(
    long compileTimeoutMillis,
    long runTimeoutMillis,
    int outputCapBytes,
    long compileMemoryBytes,
    long runMemoryBytes,
    int maxProcesses,
    long maxFileBytes)
    implements Serializable {

  public static final SandboxLimits DEFAULTS =
      new SandboxLimits(10_000, 10_000, 64 << 10, 2L << 30, 512L << 20, 64, 64L << 20);

  public SandboxLimits {
    if (compileTimeoutMillis <= 0 || runTimeoutMillis <= 0) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (outputCapBytes <= 0 || compileMemoryBytes <= 0 || runMemoryBytes <= 0 || maxProcesses <= 0 || maxFileBytes <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  public SandboxLimits withTimeouts(long compileMillis, long runMillis) {
    return new SandboxLimits(compileMillis, runMillis, outputCapBytes, compileMemoryBytes, runMemoryBytes, maxProcesses, maxFileBytes);
  }

  public SandboxLimits withRunMemoryBytes(long bytes) {
    return new SandboxLimits(compileTimeoutMillis, runTimeoutMillis, outputCapBytes, compileMemoryBytes, bytes, maxProcesses, maxFileBytes);
  }
}
