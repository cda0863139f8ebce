package io.m31r.release.tasks.bench;

import io.m31r.release.sandbox.Verdict;
import io.m31r.release.suite.AssembledProgram;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.spark.api.java.function.FlatMapFunction;

/** Runs on an executor: judges every program of its partition, as many at once as it has cores. */
public final class SandboxPartitionTask implements FlatMapFunction<Iterator<AssembledProgram>, ProgramVerdict> {
  private static final long serialVersionUID = 1L;

  private final SandboxSettings sandbox;

  public SandboxPartitionTask(SandboxSettings sandbox) {
    this.sandbox = sandbox;
  }

  @Override
  public Iterator<ProgramVerdict> call(Iterator<AssembledProgram> programs) throws Exception {
    List<AssembledProgram> todo = new ArrayList<>();
    programs.forEachRemaining(todo::add);
    List<ProgramVerdict> out = new ArrayList<>(todo.size());
    try (ExecutorSandbox pool = sandbox.open()) {
      List<Future<Verdict>> futures = new ArrayList<>();
      for (AssembledProgram p : todo) {
        futures.add(pool.submit(p));
      }
      for (int i = 0; i < todo.size(); i++) {
        out.add(new ProgramVerdict(todo.get(i).sha256(), futures.get(i).get()));
      }
    }
    return out.iterator();
  }
}
