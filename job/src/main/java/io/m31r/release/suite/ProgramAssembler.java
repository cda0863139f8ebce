package io.m31r.release.suite;

/**
 * Builds the program a sample is judged by, one explicit rule per task kind (docs/benchmark.md):
 *
 * <ul>
 *   <li>completion: prompt + completion cut at the first stop string, then "\n" + tests.rs;
 *   <li>FIM: the generated middle replaces the {@code <FILL>} line, then "\n" + tests.rs;
 *   <li>rewrite (bugs, refactor, projects): the completion, cut at the first stop string, is the
 *       whole program, then "\n" + tests.rs;
 *   <li>MultiPL-E: prompt + completion cut at the first stop token + "\n}\n" (the cut removed the
 *       function's closing brace) + "\n" + tests (which hold {@code fn main}).
 * </ul>
 *
 * M31R programs are compiled with {@code --test}; MultiPL-E programs as binaries.
 */
public final class ProgramAssembler {
  private ProgramAssembler() {}

  public static AssembledProgram forCompletion(BenchTask task, String completion) {
    return switch (task.kind()) {
      case COMPLETION -> withTests(task.prompt() + cut(completion, task), task);
      case FIM -> {
        FimPrompt fim = FimPrompt.split(task);
        yield withTests(fim.prefix() + completion + fim.suffix(), task);
      }
      case REWRITE -> withTests(cut(completion, task), task);
      case MULTIPL_E -> AssembledProgram.of(
          task.prompt() + cut(completion, task) + "\n}\n\n" + task.tests(), AssembledProgram.RunMode.MAIN_EXIT);
    };
  }

  /** The suite's self-check: the reference solution followed by tests.rs. */
  public static AssembledProgram forReference(BenchTask task) {
    if (!task.hasSolution()) {
      throw new MalformedSuiteException("suite task " + task.id() + ": has no reference solution to check");
    }
    return withTests(task.solution(), task);
  }

  /** The completion up to (not including) the earliest stop string it contains. */
  public static String cut(String completion, BenchTask task) {
    int end = completion.length();
    for (String stop : task.stopStrings()) {
      int i = completion.indexOf(stop);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    return completion.substring(0, end);
  }

  private static AssembledProgram withTests(String program, BenchTask task) {
    return AssembledProgram.of(program + "\n" + task.tests(), AssembledProgram.RunMode.TEST_HARNESS);
  }
}
