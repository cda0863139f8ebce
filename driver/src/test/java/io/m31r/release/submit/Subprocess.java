package io.m31r.release.submit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A child process of a test (a launcher script that execs a JVM) whose output goes to files, so a
 * chatty child never blocks on a full pipe and the logs stay for a post-mortem. Every process it
 * causes carries {@link #marker()} on its command line; cleanup kills its descendants plus anything
 * else with that marker (a JVM orphaned by its parent's death), and never anything without it.
 */
final class Subprocess implements AutoCloseable {
  record Result(int exitCode, String out, String err) {
    /** The last lines of stderr, for assertion messages. */
    String errTail() {
      List<String> lines = err.lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
  }

  private final String name;
  private final Process process;
  private final String marker;
  private final Path stdout;
  private final Path stderr;

  private Subprocess(String name, Process process, String marker, Path stdout, Path stderr) {
    this.name = name;
    this.process = process;
    this.marker = marker;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * @param logDir where {@code name.out} and {@code name.err} are written
   * @param marker a string unique to this run that the command puts on every JVM it starts
   */
  static Subprocess start(String name, List<String> command, Map<String, String> env, Path logDir, String marker)
      throws IOException {
    Files.createDirectories(logDir);
    Path out = logDir.resolve(name + ".out");
    Path err = logDir.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Files.writeString(logDir.resolve(name + ".cmd"), String.join(" ", command) + "\n", StandardCharsets.UTF_8);
    return new Subprocess(name, pb.start(), marker, out, err);
  }

  /**
   * The environment of this JVM without what would make a child depend on the machine: no Spark
   * or Hadoop installation and configuration, loopback only, the same JDK as the tests.
   */
  static Map<String, String> hermeticEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    System.getenv().forEach((k, v) -> {
      if (!k.startsWith("SPARK_") && !k.startsWith("HADOOP_") && !k.startsWith("YARN_")
          && !k.startsWith("PYSPARK") && !k.equals("JAVA_OPTS") && !k.startsWith("M31R_")) {
        env.put(k, v);
      }
    });
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    return env;
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  String marker() {
    return marker;
  }

  /** Stderr so far (the child may still be writing). */
  String errSoFar() throws IOException {
    return Files.readString(stderr, StandardCharsets.UTF_8);
  }

  /** Stdout so far (the child may still be writing). */
  String outSoFar() throws IOException {
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  /** Waits for the exit; past the timeout the whole tree is killed and the test fails. */
  Result await(Duration timeout) throws IOException, InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      close();
      throw new AssertionError(name + " did not finish within " + timeout + "; killed. stderr tail:\n"
          + new Result(-1, "", errSoFar()).errTail());
    }
    return new Result(
        process.exitValue(),
        Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }

  /** Live processes of this run: descendants plus any process whose command line has the marker. */
  List<ProcessHandle> tree() {
    Map<Long, ProcessHandle> all = new LinkedHashMap<>();
    process.toHandle().descendants().forEach(p -> all.put(p.pid(), p));
    long self = ProcessHandle.current().pid();
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self && p.pid() != process.pid())
        .filter(p -> commandLine(p).contains(marker))
        .forEach(p -> all.putIfAbsent(p.pid(), p));
    return new ArrayList<>(all.values());
  }

  static String commandLine(ProcessHandle p) {
    return p.info().commandLine().orElse("");
  }

  /**
   * Kills the whole tree with SIGKILL. The root goes first, so that no Spark Worker inside it
   * relaunches an executor while the executors are being killed; then everything left with the
   * marker, repeated until nothing is left.
   */
  @Override
  public void close() {
    List<ProcessHandle> before = tree();
    process.destroyForcibly();
    waitGone(List.of(process.toHandle()));
    for (int round = 0; round < 5; round++) {
      List<ProcessHandle> left = new ArrayList<>(before);
      left.addAll(tree());
      left.removeIf(p -> !p.isAlive());
      if (left.isEmpty()) {
        return;
      }
      left.forEach(ProcessHandle::destroyForcibly);
      waitGone(left);
      before = List.of();
    }
    List<ProcessHandle> stuck = tree().stream().filter(ProcessHandle::isAlive).toList();
    if (!stuck.isEmpty()) {
      throw new IllegalStateException(name + ": processes survived SIGKILL: "
          + stuck.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", ")));
    }
  }

  private static void waitGone(List<ProcessHandle> ps) {
    for (ProcessHandle p : ps) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Reported by the caller's next scan if it is still alive.
      }
    }
  }
}
