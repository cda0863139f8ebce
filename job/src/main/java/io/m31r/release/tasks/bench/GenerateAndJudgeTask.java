package io.m31r.release.tasks.bench;

import io.m31r.release.sandbox.Verdict;
import io.m31r.release.suite.AssembledProgram;
import io.m31r.release.suite.ProgramAssembler;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Runs on an executor: generates each task's batch and hands its programs to a sandbox pool right
 * away, so compilation of one task overlaps generation of the next (on a GPU executor the CPU
 * cores compile while the GPU generates). Identical completions of a task assemble to the same
 * program and are compiled once.
 */
public final class GenerateAndJudgeTask implements FlatMapFunction<Iterator<PromptJob>, JudgedSample> {
  private static final long serialVersionUID = 1L;

  private final GenerationSettings settings;
  private final SandboxSettings sandbox;

  public GenerateAndJudgeTask(GenerationSettings settings, SandboxSettings sandbox) {
    this.settings = settings;
    this.sandbox = sandbox;
  }

  @Override
  public Iterator<JudgedSample> call(Iterator<PromptJob> jobs) throws Exception {
    BatchGenerator generator = new BatchGenerator(settings);
    List<GeneratedSample> samples = new ArrayList<>();
    List<AssembledProgram> programs = new ArrayList<>();
    List<Future<Verdict>> verdicts = new ArrayList<>();
    List<JudgedSample> out = new ArrayList<>();
    try (ExecutorSandbox pool = sandbox.open()) {
      while (jobs.hasNext()) {
        PromptJob job = jobs.next();
        for (GeneratedSample s : generator.generate(job)) {
          AssembledProgram p = ProgramAssembler.forCompletion(job.task(), s.completion());
          samples.add(s);
          programs.add(p);
          verdicts.add(pool.submit(p));
        }
      }
      for (int i = 0; i < samples.size(); i++) {
        out.add(new JudgedSample(samples.get(i), programs.get(i).sha256(), verdicts.get(i).get()));
      }
    }
    return out.iterator();
  }
}
