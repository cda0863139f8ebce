package io.m31r.release.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts one command with a clean environment, a wall-clock limit and bounded output capture, and
 * makes sure nothing it started survives it. The command runs under {@code setsid}, so that its
 * process group can be killed as a whole; descendants are also killed one by one, which catches
 * a program that left the group. (Where the isolation adds a PID namespace, killing its first
 * process already takes everything in it down.)
 */
final class ProcessRunner {
  /** How long to wait for output pipes after the process ended before giving up on them. */
  private static final long DRAIN_GRACE_MILLIS = 2_000;

  private ProcessRunner() {}

  /**
   * @param pidNamespace the command makes its own PID namespace, whose end kills everything in it;
   *     without one, the process group is killed after a normal exit too
   */
  static ProcessOutcome run(
      List<String> command, Path cwd, Map<String, String> env, long timeoutMillis, int outputCap, boolean pidNamespace)
      throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(command.size() + 1);
    full.add("setsid");
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full).directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    long t0 = System.nanoTime();
    Process p = pb.start();
    BoundedCapture out = BoundedCapture.start(p.getInputStream(), outputCap, "sandbox-stdout-" + p.pid());
    BoundedCapture err = BoundedCapture.start(p.getErrorStream(), outputCap, "sandbox-stderr-" + p.pid());
    boolean finished;
    try {
      finished = p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      killTree(p);
      throw e;
    }
    long elapsed = (System.nanoTime() - t0) / 1_000_000;
    if (!finished) {
      killTree(p);
      p.waitFor(5, TimeUnit.SECONDS);
    } else if (!pidNamespace) {
      // A child that daemonised would still hold the pipes and run on: it goes with its group.
      killGroup(p.pid());
    }
    out.await(DRAIN_GRACE_MILLIS);
    err.await(DRAIN_GRACE_MILLIS);
    int code = finished ? p.exitValue() : -1;
    return new ProcessOutcome(code, !finished, out.text(), out.totalBytes(), out.tail(), err.text(), err.totalBytes(), elapsed);
  }

  static void killTree(Process p) {
    List<ProcessHandle> tree = new ArrayList<>();
    p.descendants().forEach(tree::add);
    killGroup(p.pid());
    p.destroyForcibly();
    tree.forEach(ProcessHandle::destroyForcibly);
  }

  /** setsid made the child a group leader, so its group id is its pid. */
  private static void killGroup(long pgid) {
    try {
      Process k = new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      k.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // Without kill(1) the per-process kill in killTree still runs; a group already gone is fine.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
