package io.m31r.release.sandbox.bench;

import io.m31r.release.sandbox.Isolation;
import io.m31r.release.sandbox.RustSandbox;
import io.m31r.release.sandbox.RustToolchain;
import io.m31r.release.sandbox.SampleStatus;
import io.m31r.release.sandbox.SandboxLimits;
import io.m31r.release.sandbox.Verdict;
import io.m31r.release.suite.AssembledProgram;
import io.m31r.release.suite.BenchTask;
import io.m31r.release.suite.ProgramAssembler;
import io.m31r.release.suite.SuiteLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Per-sample cost of the judge with and without its jail, in one JVM and one run, run by
 * {@code scripts/bench/judge}: every reference solution of a suite judged one at a time, the two
 * isolations alternating round by round (which goes first swaps), wall time per sample as the
 * median over rounds. Without the jail the judge works as it did before it (rustc as the harness
 * user, the program as one fixed uid in user and network namespaces). Usage:
 * {@code JudgeBench SUITE WORK_DIR ROUNDS}; prints a Markdown table.
 */
public final class JudgeBench {
  private JudgeBench() {}

  public static void main(String[] args) throws IOException {
    Path suite = Path.of(args[0]);
    Path work = Files.createDirectories(Path.of(args[1]));
    int rounds = Integer.parseInt(args[2]);
    List<AssembledProgram> programs = new ArrayList<>();
    for (BenchTask t : new SuiteLoader().load(suite).tasks()) {
      programs.add(ProgramAssembler.forReference(t));
    }
    Isolation jail = Isolation.probe();
    if (!jail.jail()) {
      System.err.println("judge bench: no jail on this machine (needs root and mount namespaces); nothing to compare");
      System.exit(2);
    }
    Isolation before = new Isolation(jail.namespaces(), jail.harnessIsRoot(), jail.sandboxUid(), jail.prlimit(), false);
    RustToolchain rustc = RustToolchain.locate(null);
    List<Long> withJail = new ArrayList<>();
    List<Long> without = new ArrayList<>();
    List<Long> compileJail = new ArrayList<>();
    List<Long> compileOld = new ArrayList<>();
    List<Long> runJail = new ArrayList<>();
    List<Long> runOld = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      for (int side = 0; side < 2; side++) {
        boolean jailed = (r + side) % 2 == 0;
        RustSandbox s = new RustSandbox(rustc, SandboxLimits.DEFAULTS, jailed ? jail : before, work);
        for (AssembledProgram p : programs) {
          long t0 = System.nanoTime();
          Verdict v = s.evaluate(p);
          long ms = (System.nanoTime() - t0) / 1_000_000;
          if (v.status() != SampleStatus.PASSED) {
            throw new IllegalStateException("a reference did not pass (" + (jailed ? "jail" : "before") + "): " + v);
          }
          (jailed ? withJail : without).add(ms);
          (jailed ? compileJail : compileOld).add(v.compileMillis());
          (jailed ? runJail : runOld).add(v.runMillis());
        }
      }
    }
    System.out.println("| per sample (ms, median of " + without.size() + ") | before (no jail) | jail | ratio |");
    System.out.println("|---|---|---|---|");
    row("judged (wall, incl. folder setup/cleanup)", without, withJail);
    row("compile step", compileOld, compileJail);
    row("run step", runOld, runJail);
  }

  private static void row(String what, List<Long> before, List<Long> after) {
    long b = median(before);
    long a = median(after);
    System.out.printf("| %s | %d | %d | %.2f |%n", what, b, a, (double) a / Math.max(1, b));
  }

  private static long median(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
