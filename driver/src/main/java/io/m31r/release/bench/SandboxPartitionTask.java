package io.m31r.release.bench;

import io.m31r.release.sandbox.SandboxLimits;
import io.m31r.release.sandbox.Verdict;
import io.m31r.release.suite.AssembledProgram;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.spark.api.java.function.FlatMapFunction;

/** Runs on an executor: judges every program of its partition, as many at once as it has cores. */
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
    try (ExecutorSandbox sandbox = new ExecutorSandbox(rustc, limits, workDir, threads)) {
      List<Future<Verdict>> futures = new ArrayList<>();
      for (AssembledProgram p : todo) {
        futures.add(sandbox.submit(p));
      }
      for (int i = 0; i < todo.size(); i++) {
        out.add(new ProgramVerdict(todo.get(i).sha256(), futures.get(i).get()));
      }
    }
    return out.iterator();
  }
}
