package io.m31r.release.pipeline;

import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.git.CommitCheckout;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.preflight.TestReports;
import io.m31r.release.preflight.TestSummary;
import io.m31r.release.process.ChildProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The tests gate (section 11), tied to the commit being released: {@code release.test_command}
 * runs in a clean checkout of that commit (a git worktree in the export's work folder) and the gate
 * reads only the JUnit XML that run writes into a fresh {@code {reports}} folder, so reports
 * committed in the tree, or left in the user's work tree, never count. A test command that exits
 * non-zero blocks even when its reports look green. Skipped tests are counted and shown, and block
 * when {@code release.refuse_skipped_tests} is on.
 *
 * <p>Without a test command, the old report-folder mode reads {@code release.test_reports} as it
 * stands; nothing ties those reports to the commit, so only an experiment (type D) may use it.
 */
final class TestsStage {
  private final PrintStream progress;

  TestsStage(PrintStream progress) {
    this.progress = progress;
  }

  /** Refused before any work: report-folder mode for a release that claims more than an experiment. */
  static void requireAllowed(ReleaseSettings s, ReleaseType type) {
    if (s.testCommand().isEmpty() && type != ReleaseType.D) {
      throw new BadInputException(
          "config release.test_command is empty: reports in release.test_reports are not tied to the commit, so only an"
              + " experiment (type D) may use them; set release.test_command");
    }
  }

  TestSummary run(ReleaseSettings s, ReleaseInputs in, List<String> launcher, String commit, ReleaseType type, Path work) {
    requireAllowed(s, type);
    TestSummary summary = s.testCommand().isEmpty() ? TestReports.requirePassing(in.testReports()) : runCommand(s, in, launcher, commit, work);
    if (progress != null) {
      progress.println("tests: " + summary.executed() + " executed, " + summary.skipped() + " skipped, " + summary.reports() + " report(s)"
          + (s.testCommand().isEmpty() ? " (report folder, not tied to the commit)" : " (run on " + commit + ")"));
    }
    if (summary.skipped() > 0 && s.refuseSkippedTests()) {
      throw new GateFailedException(
          "tests gate: " + summary.skipped() + " skipped test(s) and release.refuse_skipped_tests is on");
    }
    return summary;
  }

  private TestSummary runCommand(ReleaseSettings s, ReleaseInputs in, List<String> launcher, String commit, Path work) {
    Path reports = work.resolve("test-reports");
    Path log = work.resolve("tests.log");
    try {
      Files.createDirectories(reports);
    } catch (IOException e) {
      throw new InfrastructureException("cannot create " + reports + ": " + e.getMessage(), e);
    }
    String shown = String.join(" ", s.testCommand());
    int exit;
    try (CommitCheckout checkout = CommitCheckout.create(in.gitRepository(), commit, work.resolve("tests-checkout"))) {
      exit = execute(expand(s.testCommand(), launcher, reports), checkout.dir(), log, s.testTimeoutSeconds(), shown);
    }
    TestSummary summary = TestReports.requirePassing(reports);
    if (exit != 0) {
      throw new GateFailedException(
          "tests gate: '" + shown + "' exited " + exit + " on " + commit + " although its reports show no failure; see " + log);
    }
    return summary;
  }

  static List<String> expand(List<String> command, List<String> launcher, Path reports) {
    List<String> argv = new ArrayList<>();
    for (String part : command) {
      if (part.equals("{m31r}")) {
        argv.addAll(launcher);
      } else {
        argv.add(part.replace("{reports}", reports.toString()));
      }
    }
    return argv;
  }

  private int execute(List<String> argv, Path dir, Path log, int timeoutSeconds, String shown) {
    try {
      OptionalInt exit = ChildProcess.runLogged(new ProcessBuilder(argv).directory(dir.toFile()), Duration.ofSeconds(timeoutSeconds), log, progress, "tests | ");
      return exit.orElseThrow(
          () -> new GateFailedException("tests gate: '" + shown + "' did not finish within " + timeoutSeconds + " s; stopped"));
    } catch (ChildProcess.NotStartedException e) {
      throw new BadInputException("tests gate: " + e.getMessage());
    } catch (IOException e) {
      throw new InfrastructureException("tests gate: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("tests gate: interrupted", e);
    }
  }
}
