package io.m31r.release.bench;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.sandbox.DedupingEvaluator;
import io.m31r.release.sandbox.Isolation;
import io.m31r.release.sandbox.RustSandbox;
import io.m31r.release.sandbox.RustToolchain;
import io.m31r.release.sandbox.SandboxLimits;
import io.m31r.release.sandbox.Verdict;
import io.m31r.release.suite.AssembledProgram;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Runs on an executor: judges every program of its partition in the sandbox, as many at once as
 * the executor has cores (rustc and the test binaries are single-threaded CPU work). Failures of
 * the harness come back as {@code sandbox_error} verdicts, values rather than exceptions, so that
 * Spark does not retry a task whose every retry would fail the same way.
 */
final class SandboxPartitionTask implements FlatMapFunction<Iterator<AssembledProgram>, ProgramVerdict> {
  private static final long serialVersionUID = 1L;

  private final String rustc;
  private final SandboxLimits limits;
  private final String workDir;
  private final int threads;

  /**
   * @param rustc the user's rustc setting or null, resolved again on the executor's machine
   * @param workDir where sample directories go, or null for the executor's java.io.tmpdir
   */
  SandboxPartitionTask(String rustc, SandboxLimits limits, String workDir, int threads) {
    this.rustc = rustc;
    this.limits = limits;
    this.workDir = workDir;
    this.threads = threads;
  }

  @Override
  public Iterator<ProgramVerdict> call(Iterator<AssembledProgram> programs) throws Exception {
    List<AssembledProgram> todo = new ArrayList<>();
    programs.forEachRemaining(todo::add);
    List<ProgramVerdict> out = new ArrayList<>(todo.size());
    RustToolchain toolchain;
    try {
      toolchain = RustToolchain.locate(rustc);
    } catch (BadInputException e) {
      for (AssembledProgram p : todo) {
        out.add(new ProgramVerdict(p.sha256(), Verdict.sandboxError("executor: " + e.getMessage())));
      }
      return out.iterator();
    }
    Path root = Path.of(workDir != null ? workDir : System.getProperty("java.io.tmpdir"));
    DedupingEvaluator evaluator = new DedupingEvaluator(new RustSandbox(toolchain, limits, Isolation.probe(), root));
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "m31r-bench-sandbox");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Verdict>> futures = new ArrayList<>();
      for (AssembledProgram p : todo) {
        futures.add(pool.submit(() -> evaluator.evaluate(p)));
      }
      for (int i = 0; i < todo.size(); i++) {
        out.add(new ProgramVerdict(todo.get(i).sha256(), futures.get(i).get()));
      }
    } finally {
      pool.shutdownNow();
    }
    return out.iterator();
  }
}
