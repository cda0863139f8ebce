package io.m31r.release.sandbox;

import io.m31r.release.suite.AssembledProgram;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Judges each distinct program once: identical completions of one task assemble to the same
 * program (same {@link AssembledProgram#sha256()}), whose verdict is then counted for every sample
 * that produced it. A second caller for a program in flight waits for the first instead of
 * compiling it again.
 */
public final class DedupingEvaluator {
  private final RustSandbox sandbox;
  private final ConcurrentHashMap<String, CompletableFuture<Verdict>> verdicts = new ConcurrentHashMap<>();

  public DedupingEvaluator(RustSandbox sandbox) {
    this.sandbox = sandbox;
  }

  public Verdict evaluate(AssembledProgram program) {
    CompletableFuture<Verdict> mine = new CompletableFuture<>();
    CompletableFuture<Verdict> existing = verdicts.putIfAbsent(program.sha256(), mine);
    if (existing == null) {
      try {
        mine.complete(sandbox.evaluate(program));
      } catch (RuntimeException | Error e) {
        mine.completeExceptionally(e);
        throw e;
      }
      return mine.join();
    }
    try {
      return existing.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Verdict.sandboxError("interrupted while waiting for an identical program");
    } catch (ExecutionException e) {
      return Verdict.sandboxError("the identical program's evaluation failed: " + e.getCause());
    }
  }

  /** Programs actually compiled so far. */
  public int distinctPrograms() {
    return verdicts.size();
  }
}
