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
 *
 * <p>The tests then move to the front of the program, after only its leading comments and inner
 * attributes ({@link Preamble}): a {@code macro_rules!} is visible from its definition onwards, so
 * a completion that redefines {@code assert_eq!} or {@code assert!} cannot reach tests that come
 * before it, and a macro it exports by path collides with the prelude's (a compile error). In
 * MultiPL-E programs the tests' {@code main} is renamed and a {@code main} that calls it and then
 * prints the run's {@link EndMarker} is added, so that exiting 0 halfway through does not pass.
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
          testsFirst(task.prompt() + cut(completion, task) + "\n}\n", multiplETests(task.tests())),
          AssembledProgram.RunMode.MAIN_TO_END);
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
    return AssembledProgram.of(testsFirst(program, task.tests()), AssembledProgram.RunMode.TEST_HARNESS);
  }

  private static String testsFirst(String program, String tests) {
    int at = Preamble.end(program);
    return program.substring(0, at) + tests + "\n" + program.substring(at);
  }

  /** MultiPL-E tests with their one {@code fn main()} renamed, then the marker-printing main. */
  private static String multiplETests(String tests) {
    java.util.regex.Matcher m = MultiplEReader.TESTS_MAIN.matcher(tests);
    if (!m.find()) {
      throw new MalformedSuiteException("MultiPL-E tests without a line starting 'fn main()'");
    }
    return tests.substring(0, m.start()) + "fn " + EndMarker.TESTS_MAIN + "()" + tests.substring(m.end()) + "\n"
        + EndMarker.rustMain();
  }
}
