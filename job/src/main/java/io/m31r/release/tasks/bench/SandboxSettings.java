package io.m31r.release.tasks.bench;

import io.m31r.release.sandbox.SandboxLimits;
import java.io.Serializable;

/**
 * How an executor's sandbox pool is set up, shipped with the task that opens it.
 *
 * @param rustc the user's rustc setting or null, resolved again on the executor's machine
 * @param workDir where sample directories go, or null for the executor's java.io.tmpdir
 * @param threads programs judged at once by one task
 */
public record SandboxSettings(String rustc, SandboxLimits limits, String workDir, int threads) implements Serializable {
  ExecutorSandbox open() {
    return new ExecutorSandbox(rustc, limits, workDir, threads);
  }
}
