package io.m31r.release.sandbox;

import io.m31r.release.fs.FileTrees;
import io.m31r.release.suite.AssembledProgram;
import io.m31r.release.suite.EndMarker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles and runs one untrusted program in a fresh directory with rustc called directly, and
 * turns what happened into exactly one {@link SampleStatus}. Thread-safe: every call has its own
 * directory and processes.
 */
public final class RustSandbox {
  /**
   * Wall-clock time a jailed step gets on top of its limit for building the jail (about twenty
   * process starts: 0.3 to 0.6 s on a loaded two-core machine), so that the jail does not eat
   * into the time the user gave the program.
   */
  static final long JAIL_SETUP_MILLIS = 2_000;

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
      return isolation.jail() ? jailed(program, dir) : compileAndRun(program, dir);
    } catch (IOException e) {
      return Verdict.sandboxError("sandbox I/O failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Verdict.sandboxError("interrupted");
    } finally {
      FileTrees.deleteQuietly(dir);
    }
  }

  /**
   * Both steps in their own {@link Jail} under a uid of this sample's alone. {@code dir} (root's,
   * 0700) holds {@code root/}, the jail's mount point, and {@code box/}, shown as /sandbox: owned
   * by the sample's uid while rustc writes the binary into it, root's and read-only while the
   * program runs. Nothing the program writes outlives it: its only writable places are its tmpfs.
   */
  private Verdict jailed(AssembledProgram program, Path dir) throws IOException, InterruptedException {
    Path box = Files.createDirectory(dir.resolve("box"));
    Files.writeString(box.resolve("main.rs"), program.source(), StandardCharsets.UTF_8);
    boolean tests = program.mode() == AssembledProgram.RunMode.TEST_HARNESS;
    Jail.prepare(dir, toolchain.sysroot(), limits.maxFileBytes());
    try (SandboxUids.Slot slot = SandboxUids.acquire(SandboxUids.hostLockDir())) {
      Files.setAttribute(box, "unix:uid", slot.uid());
      Files.setPosixFilePermissions(box, PosixFilePermissions.fromString("rwx------"));
      ProcessOutcome c = ProcessRunner.run(
          Jail.command(rustcCommand(tests, true), dir, Jail.Mode.COMPILE, slot.uid(), limits.compileMemoryBytes(),
              Math.max(limits.maxProcesses(), 256), limits.maxFileBytes() * 16, cpuSeconds(limits.compileTimeoutMillis())),
          dir, Isolation.scrubbedEnv(Path.of("/tmp")), limits.compileTimeoutMillis() + JAIL_SETUP_MILLIS, limits.outputCapBytes(), true);
      Path prog = box.resolve("prog");
      Verdict failed = compileFailure(c, Files.isRegularFile(prog, LinkOption.NOFOLLOW_LINKS));
      if (failed != null) {
        return failed;
      }
      // From here the sample's uid owns nothing it could change.
      Files.setAttribute(prog, "unix:uid", 0);
      Files.setAttribute(prog, "unix:gid", 0);
      Files.setPosixFilePermissions(prog, PosixFilePermissions.fromString("r-xr-xr-x"));
      Files.setAttribute(box, "unix:uid", 0);
      Files.setPosixFilePermissions(box, PosixFilePermissions.fromString("r-xr-xr-x"));
      EndMarker marker = program.mode() == AssembledProgram.RunMode.MAIN_TO_END ? EndMarker.fresh() : null;
      Map<String, String> env = new HashMap<>(Isolation.scrubbedEnv(Path.of("/tmp")));
      if (marker != null) {
        env.put(EndMarker.ENV, marker.nonce());
      }
      ProcessOutcome r = ProcessRunner.run(
          Jail.command(runCommand("/sandbox/prog", tests), dir, Jail.Mode.RUN, slot.uid(), limits.runMemoryBytes(),
              limits.maxProcesses(), limits.maxFileBytes(), cpuSeconds(limits.runTimeoutMillis())),
          dir, env, limits.runTimeoutMillis() + JAIL_SETUP_MILLIS, limits.outputCapBytes(), true);
      return judgeRun(tests, c.elapsedMillis(), r, marker);
    }
  }

  private Verdict compileAndRun(AssembledProgram program, Path dir) throws IOException, InterruptedException {
    Files.writeString(dir.resolve("main.rs"), program.source(), StandardCharsets.UTF_8);
    boolean tests = program.mode() == AssembledProgram.RunMode.TEST_HARNESS;
    ProcessOutcome c = ProcessRunner.run(
        isolation.wrap(rustcCommand(tests, false), false, limits.compileMemoryBytes(), Math.max(limits.maxProcesses(), 256), limits.maxFileBytes() * 16),
        dir, Isolation.scrubbedEnv(dir), limits.compileTimeoutMillis(), limits.outputCapBytes(), isolation.namespaces());
    Verdict failed = compileFailure(c, Files.isRegularFile(dir.resolve("prog")));
    if (failed != null) {
      return failed;
    }
    prepareForSandboxUser(dir);
    EndMarker marker = program.mode() == AssembledProgram.RunMode.MAIN_TO_END ? EndMarker.fresh() : null;
    Map<String, String> env = new HashMap<>(Isolation.scrubbedEnv(dir));
    if (marker != null) {
      env.put(EndMarker.ENV, marker.nonce());
    }
    ProcessOutcome r = ProcessRunner.run(
        isolation.wrap(runCommand("./prog", tests), true, limits.runMemoryBytes(), limits.maxProcesses(), limits.maxFileBytes()),
        dir, env, limits.runTimeoutMillis(), limits.outputCapBytes(), isolation.namespaces());
    return judgeRun(tests, c.elapsedMillis(), r, marker);
  }

  /**
   * @param sharedStd link the standard library as the toolchain's shared object, found through a
   *     relative rpath: linking it statically costs about an eighth of a small program's compile
   *     time. Only in the jail, which shows the toolchain at its own path to every uid; elsewhere
   *     the toolchain may sit where the program's uid cannot read it.
   */
  private List<String> rustcCommand(boolean tests, boolean sharedStd) {
    List<String> rustc = new ArrayList<>(List.of(toolchain.rustc(), "--edition", "2021"));
    if (tests) {
      rustc.add("--test");
    }
    if (sharedStd) {
      rustc.addAll(List.of("-C", "prefer-dynamic", "-C", "rpath"));
    }
    rustc.addAll(List.of("-C", "debuginfo=0", "-A", "warnings", "--crate-name", "sample", "-o", "prog", "main.rs"));
    return rustc;
  }

  private static List<String> runCommand(String prog, boolean tests) {
    List<String> run = new ArrayList<>(List.of(prog));
    if (tests) {
      run.add("--test-threads=1");
    }
    return run;
  }

  /** A CPU-time ceiling well above the wall-clock limit: it only stops a run nobody waits for any more. */
  private static long cpuSeconds(long timeoutMillis) {
    return 2 * (timeoutMillis / 1000) + 5;
  }

  private Verdict compileFailure(ProcessOutcome c, boolean binaryWritten) {
    if (c.timedOut()) {
      return new Verdict(SampleStatus.TIMEOUT, false, c.elapsedMillis(), -1, -1, -1,
          "compile ran past " + limits.compileTimeoutMillis() + " ms", c.stderr());
    }
    if (c.exitCode() != 0 || !binaryWritten) {
      return new Verdict(SampleStatus.COMPILE_ERROR, false, c.elapsedMillis(), -1, -1, -1,
          "rustc exited " + c.exitCode(), c.stderr());
    }
    return null;
  }

  private Verdict judgeRun(boolean tests, long compileMillis, ProcessOutcome r, EndMarker marker) {
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
      if (r.exitCode() != 0) {
        return new Verdict(SampleStatus.TEST_FAILED, true, compileMillis, r.elapsedMillis(), -1, -1,
            "main exited " + r.exitCode(), excerpt);
      }
      return marker == null || marker.endsWithIt(r.stdoutTail())
          ? new Verdict(SampleStatus.PASSED, true, compileMillis, r.elapsedMillis(), -1, -1, "main exited 0", excerpt)
          : new Verdict(SampleStatus.TEST_FAILED, true, compileMillis, r.elapsedMillis(), -1, -1,
              "main exited 0 before the end of the tests (no end marker)", excerpt);
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
}
