package io.m31r.release.sandbox;

import io.m31r.release.suite.AssembledProgram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Compiles and runs one untrusted program in a fresh directory with rustc called directly, and
 * turns what happened into exactly one {@link SampleStatus}. Thread-safe: every call has its own
 * directory and processes.
 */
public final class RustSandbox {
  private final RustToolchain toolchain;
  private final SandboxLimits limits;
  private final Isolation isolation;
  private final Path workRoot;

  public RustSandbox(RustToolchain toolchain, SandboxLimits limits, Isolation isolation, Path workRoot) {
    this.toolchain = toolchain;
    this.limits = limits;
    this.isolation = isolation;
    this.workRoot = workRoot;
  }

  public SandboxLimits limits() {
    return limits;
  }

  public Verdict evaluate(AssembledProgram program) {
    Path dir;
    try {
      Files.createDirectories(workRoot);
      dir = Files.createTempDirectory(workRoot, "m31r-sample-");
    } catch (IOException e) {
      return Verdict.sandboxError("cannot create a sample directory under " + workRoot + ": " + e.getMessage());
    }
    try {
      return compileAndRun(program, dir);
    } catch (IOException e) {
      return Verdict.sandboxError("sandbox I/O failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Verdict.sandboxError("interrupted");
    } finally {
      deleteTree(dir);
    }
  }

  private Verdict compileAndRun(AssembledProgram program, Path dir) throws IOException, InterruptedException {
    Files.writeString(dir.resolve("main.rs"), program.source(), StandardCharsets.UTF_8);
    boolean tests = program.mode() == AssembledProgram.RunMode.TEST_HARNESS;
    List<String> rustc = new ArrayList<>(List.of(toolchain.rustc(), "--edition", "2021"));
    if (tests) {
      rustc.add("--test");
    }
    rustc.addAll(List.of("-C", "debuginfo=0", "-A", "warnings", "--crate-name", "sample", "-o", "prog", "main.rs"));
    ProcessOutcome c = ProcessRunner.run(
        isolation.wrap(rustc, false, limits.compileMemoryBytes(), Math.max(limits.maxProcesses(), 256), limits.maxFileBytes() * 16),
        dir, Isolation.scrubbedEnv(dir), limits.compileTimeoutMillis(), limits.outputCapBytes(), isolation.namespaces());
    if (c.timedOut()) {
      return new Verdict(SampleStatus.TIMEOUT, false, c.elapsedMillis(), -1, -1, -1,
          "compile ran past " + limits.compileTimeoutMillis() + " ms", c.stderr());
    }
    if (c.exitCode() != 0 || !Files.isRegularFile(dir.resolve("prog"))) {
      return new Verdict(SampleStatus.COMPILE_ERROR, false, c.elapsedMillis(), -1, -1, -1,
          "rustc exited " + c.exitCode(), c.stderr());
    }
    prepareForSandboxUser(dir);
    List<String> run = new ArrayList<>(List.of("./prog"));
    if (tests) {
      run.add("--test-threads=1");
    }
    ProcessOutcome r = ProcessRunner.run(
        isolation.wrap(run, true, limits.runMemoryBytes(), limits.maxProcesses(), limits.maxFileBytes()),
        dir, Isolation.scrubbedEnv(dir), limits.runTimeoutMillis(), limits.outputCapBytes(), isolation.namespaces());
    return judgeRun(tests, c.elapsedMillis(), r);
  }

  private Verdict judgeRun(boolean tests, long compileMillis, ProcessOutcome r) {
    String excerpt = r.stderr();
    if (r.timedOut()) {
      return new Verdict(SampleStatus.TIMEOUT, true, compileMillis, r.elapsedMillis(), -1, -1,
          "run ran past " + limits.runTimeoutMillis() + " ms", excerpt);
    }
    if (r.killedBySignal()) {
      return new Verdict(SampleStatus.CRASHED, true, compileMillis, r.elapsedMillis(), -1, -1,
          "killed by signal " + r.signal(), excerpt);
    }
    if (!tests) {
      return r.exitCode() == 0
          ? new Verdict(SampleStatus.PASSED, true, compileMillis, r.elapsedMillis(), -1, -1, "main exited 0", excerpt)
          : new Verdict(SampleStatus.TEST_FAILED, true, compileMillis, r.elapsedMillis(), -1, -1,
              "main exited " + r.exitCode(), excerpt);
    }
    TestSummary s = TestSummary.parse(r.stdout());
    if (s == null) {
      return new Verdict(SampleStatus.TEST_FAILED, true, compileMillis, r.elapsedMillis(), -1, -1,
          "no test summary (exit " + r.exitCode() + ")", excerpt);
    }
    if (r.exitCode() == 0 && s.ok() && s.failed() == 0 && s.passed() >= 1) {
      return new Verdict(SampleStatus.PASSED, true, compileMillis, r.elapsedMillis(), s.passed(), s.failed(),
          s.passed() + " passed", excerpt);
    }
    String why = s.passed() + s.failed() == 0 ? "no test was executed" : s.failed() + " failed, " + s.passed() + " passed";
    return new Verdict(SampleStatus.TEST_FAILED, true, compileMillis, r.elapsedMillis(), s.passed(), s.failed(),
        why + " (exit " + r.exitCode() + ")", excerpt);
  }

  /** The program runs as another uid: let it into its directory, and nowhere else of ours. */
  private void prepareForSandboxUser(Path dir) throws IOException {
    if (isolation.sandboxUid() >= 0) {
      Files.setAttribute(dir, "unix:uid", isolation.sandboxUid());
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      Files.setPosixFilePermissions(dir.resolve("prog"), PosixFilePermissions.fromString("r-xr-xr-x"));
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        try {
          if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            p.toFile().setWritable(true, true);
            p.toFile().setExecutable(true, true);
          }
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // Left for the temp cleaner; a leftover directory changes no result.
        }
      }
    } catch (IOException e) {
      // As above.
    }
  }
}
