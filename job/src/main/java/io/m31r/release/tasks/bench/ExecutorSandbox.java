package io.m31r.release.tasks.bench;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.sandbox.DedupingEvaluator;
import io.m31r.release.sandbox.Isolation;
import io.m31r.release.sandbox.RustSandbox;
import io.m31r.release.sandbox.RustToolchain;
import io.m31r.release.sandbox.SandboxLimits;
import io.m31r.release.sandbox.Verdict;
import io.m31r.release.suite.AssembledProgram;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * On an executor: a pool that judges programs in the sandbox (rustc and the test binaries are
 * single-threaded CPU work), deduplicating identical programs. Harness failures become
 * {@code sandbox_error} verdicts, values rather than exceptions, so that Spark does not retry a
 * task whose every retry would fail the same way.
 */
public final class ExecutorSandbox implements AutoCloseable {
  private final DedupingEvaluator evaluator;
  private final String toolchainError;
  private final ExecutorService pool;

  /** See {@link SandboxSettings} for the parameters; tasks open one with {@code settings.open()}. */
  ExecutorSandbox(String rustc, SandboxLimits limits, String workDir, int threads) {
    DedupingEvaluator e = null;
    String error = null;
    try {
      RustToolchain toolchain = RustToolchain.locate(rustc);
      Path root = Path.of(workDir != null ? workDir : System.getProperty("java.io.tmpdir"));
      e = new DedupingEvaluator(new RustSandbox(toolchain, limits, Isolation.probe(), root));
    } catch (BadInputException ex) {
      error = "executor: " + ex.getMessage();
    }
    this.evaluator = e;
    this.toolchainError = error;
    this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "m31r-bench-sandbox");
      t.setDaemon(true);
      return t;
    });
  }

  Future<Verdict> submit(AssembledProgram program) {
    if (evaluator == null) {
      return CompletableFuture.completedFuture(Verdict.sandboxError(toolchainError));
    }
    return pool.submit(() -> evaluator.evaluate(program));
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
