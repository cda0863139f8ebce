package io.m31r.release.process;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one child process to its end: no input, standard output and error merged and handed line by
 * line to a consumer (on a thread of its own, so that a child that writes more than a pipe holds
 * never blocks), bounded in time. On a timeout or an interrupt the child and everything it started
 * are killed, so that nothing keeps running after the step that started it. The callers (tests
 * gate, rebuild, training) decide what an exit status means; this class only runs.
 */
public final class ChildProcess {
  /** How long the output is waited for once the child exited (its own children may hold the pipe). */
  private static final long DRAIN_MILLIS = 10_000;

  /** The program could not be started at all: absent, not executable, no such folder. */
  public static final class NotStartedException extends Exception {
    NotStartedException(String message, IOException cause) {
      super(message, cause);
    }
  }

  private ChildProcess() {}

  /**
   * Starts {@code builder}, hands every output line to {@code lines} and waits at most
   * {@code timeout}: the exit status, or empty when the timeout killed the child. A line the
   * consumer cannot take is lost, never the run: the exit status decides.
   */
  public static OptionalInt run(ProcessBuilder builder, Duration timeout, Consumer<String> lines)
      throws NotStartedException, InterruptedException {
    builder.redirectErrorStream(true);
    Process p;
    try {
      p = builder.start();
    } catch (IOException e) {
      throw new NotStartedException("cannot start '" + builder.command().get(0) + "': " + e.getMessage(), e);
    }
    Thread pump = new Thread(() -> pump(p, lines), "m31r-child-output");
    pump.setDaemon(true);
    pump.start();
    try {
      p.getOutputStream().close();
    } catch (IOException e) {
      // The child gets no input; a pipe that is already gone is all the same to it.
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        killTree(p);
        return OptionalInt.empty();
      }
      pump.join(DRAIN_MILLIS);
      return OptionalInt.of(p.exitValue());
    } catch (InterruptedException e) {
      killTree(p);
      throw e;
    }
  }

  /**
   * {@link #run}, writing every line to {@code log} and, unless {@code progress} is null, also to
   * {@code progress} after {@code prefix} (as "rebuild | ..." beside the stage's own lines).
   */
  public static OptionalInt runLogged(ProcessBuilder builder, Duration timeout, Path log, PrintStream progress, String prefix)
      throws NotStartedException, InterruptedException, IOException {
    try (BufferedWriter w = Files.newBufferedWriter(log)) {
      return run(builder, timeout, line -> {
        try {
          w.write(line);
          w.newLine();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (progress != null) {
          progress.println(prefix + line);
        }
      });
    }
  }

  private static void pump(Process p, Consumer<String> lines) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.accept(line);
      }
    } catch (IOException | RuntimeException e) {
      // The output is a courtesy (logs, progress); the exit status decides.
    }
  }

  private static void killTree(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }
}
