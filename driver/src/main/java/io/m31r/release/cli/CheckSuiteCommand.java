package io.m31r.release.cli;

import io.m31r.release.sample.SampleTestReport;
import io.m31r.release.sandbox.RustToolchain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code m31r check-suite}: a benchmark suite's own self-check (every task's reference solution
 * followed by its tests, compiled and run by real rustc in the sandbox) written as JUnit XML. The
 * sample workspace's {@code release.test_command}; exits 0 only when every task passes.
 */
@Command(
    name = "check-suite",
    mixinStandardHelpOptions = true,
    description = {
      "Runs every task's reference solution with its tests in the rustc sandbox and writes",
      "DIR/" + SampleTestReport.FILE + " (JUnit XML). Exit 0 when all pass, 3 when any fails."
    })
final class CheckSuiteCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SUITE", description = "Suite directory (M31R layout) or MultiPL-E JSONL.")
  Path suite;

  @Option(names = "--junit", required = true, paramLabel = "DIR", description = "Folder for the JUnit XML report.")
  Path junit;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    SampleTestReport.Summary s = new SampleTestReport(RustToolchain.locate(null)).run(suite, junit);
    spec.commandLine().getOut().println(
        "suite self-check: " + s.passed() + " passed, " + s.failures() + " failed, " + s.errors() + " errors -> " + s.file());
    return s.failures() + s.errors() == 0 ? 0 : io.m31r.release.failure.ExitCode.GATE_BLOCKED.code();
  }
}
