package io.m31r.release.submit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A minimal Spark installation for tests: {@code jars/} with the runtime jars of an embedded run, a
 * {@code RELEASE} file (without it the launcher looks for a source build's jars), and
 * {@code bin/spark-submit} / {@code bin/spark-class} that hand over to the real launcher library
 * the way a distribution's scripts do. {@code local-cluster} masters start a Master and Workers in
 * the driver JVM; each Worker launches its executor JVMs from {@code SPARK_HOME/jars} and
 * {@code SPARK_HOME/work}, and the driver ships them the application jar, as on a cluster.
 */
final class SparkHome {
  static final String MASTER = "local-cluster[2,1,1024]";

  private static final String MAIN_CLASS = "io.m31r.release.cli.M31rCli";
  private static final List<String> SCRIPTS = List.of("spark-submit", "spark-class", "load-spark-env.sh");

  /**
   * On the embedded class path but in no Spark distribution: leaving them out proves the
   * application jar brings (and relocates) them itself.
   */
  private static final List<String> NOT_IN_A_DISTRIBUTION = List.of("picocli-");

  /**
   * Only the C1 compiler and the serial collector: three JVMs (driver, two executors) share two
   * cores in these tests, and C2 and parallel GC threads more than double their start-up time.
   */
  private static final String LEAN_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

  private final Path home;

  private SparkHome(Path home) {
    this.home = home;
  }

  /** target/m31r-release.jar, the shaded jar that spark-submit gets. */
  static Path appJar() {
    return requiredFile("m31r.jar");
  }

  /** The checkout: scripts/, conf/. */
  static Path repoRoot() {
    return appJar().toAbsolutePath().getParent().getParent().getParent();
  }

  /** A fresh directory under target/it for one test class. */
  static Path testDir(Class<?> test) throws IOException {
    Path dir = appJar().toAbsolutePath().getParent().resolve("it").resolve(test.getSimpleName());
    deleteTree(dir);
    return Files.createDirectories(dir);
  }

  /** Builds a Spark home in {@code home} (replacing what is there); extra jars join jars/. */
  static SparkHome build(Path home, Path... extraJars) throws IOException {
    return build(home, List.of(), extraJars);
  }

  /**
   * As {@link #build(Path, Path...)}, without the class path jars whose names start with one of
   * {@code leftOut}: what a deployment passes with {@code --jars} instead of installing it.
   */
  static SparkHome build(Path home, List<String> leftOut, Path... extraJars) throws IOException {
    deleteTree(home);
    Path jars = Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    Path bin = Files.createDirectories(home.resolve("bin"));
    String classpath = Files.readString(requiredFile("m31r.classpathFile"), StandardCharsets.UTF_8).trim();
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      Path jar = Path.of(entry);
      String name = jar.getFileName().toString();
      if (name.endsWith(".jar") && NOT_IN_A_DISTRIBUTION.stream().noneMatch(name::startsWith)
          && leftOut.stream().noneMatch(name::startsWith)) {
        Files.createSymbolicLink(jars.resolve(name), jar.toAbsolutePath());
      }
    }
    for (Path extra : extraJars) {
      Files.copy(extra, jars.resolve(extra.getFileName()));
    }
    Files.writeString(home.resolve("RELEASE"),
        "Spark 4.0.4 built for Hadoop 3.4.1 (test stand-in: jars only, no distribution)\n");
    for (String script : SCRIPTS) {
      Path target = bin.resolve(script);
      try (InputStream in = SparkHome.class.getResourceAsStream("spark-home/bin/" + script)) {
        if (in == null) {
          throw new IllegalStateException("test resource spark-home/bin/" + script + " missing");
        }
        Files.copy(in, target);
      }
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return new SparkHome(home);
  }

  /** The jar of the embedded class path whose name starts with {@code prefix}. */
  static Path classPathJar(String prefix) throws IOException {
    String classpath = Files.readString(requiredFile("m31r.classpathFile"), StandardCharsets.UTF_8).trim();
    return Arrays.stream(classpath.split(java.io.File.pathSeparator))
        .map(Path::of)
        .filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".jar"))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + prefix + "*.jar on the class path of " + classpath));
  }

  Path home() {
    return home;
  }

  /** Where the local-cluster Workers keep one directory per application and executor. */
  Path workDir() {
    return home.resolve("work");
  }

  /** A running spark-submit of the m31r jar. */
  record Submission(Subprocess process, Path eventLogDir) implements AutoCloseable {
    /** Executor JVMs of this run that are alive now. */
    List<ProcessHandle> executors() {
      return process.tree().stream()
          .filter(ProcessHandle::isAlive)
          .filter(p -> Subprocess.commandLine(p).contains("CoarseGrainedExecutorBackend"))
          .toList();
    }

    @Override
    public void close() {
      process.close();
    }
  }

  /**
   * Starts {@code spark-submit --master local-cluster[2,1,1024] ... m31r-release.jar <appArgs>}.
   * The job waits until both executors have registered, so that the work really is split between
   * two JVMs; the event log records which executor ran which task.
   *
   * @param runDir logs, event log and Spark scratch space of this run
   * @param sparkConf extra {@code key=value} Spark settings
   */
  Submission start(String name, Path runDir, List<String> sparkConf, String... appArgs) throws IOException {
    return start(MASTER, name, runDir, sparkConf, appArgs);
  }

  /** As {@link #start(String, Path, List, String...)} against another master (a standalone cluster's). */
  Submission start(String master, String name, Path runDir, List<String> sparkConf, String... appArgs) throws IOException {
    String marker = "-Dm31r.it.run=" + UUID.randomUUID();
    Path eventLog = Files.createDirectories(runDir.resolve(name + "-eventlog"));
    Path local = Files.createDirectories(runDir.resolve(name + "-local"));
    List<String> cmd = new ArrayList<>(List.of(
        home.resolve("bin/spark-submit").toString(),
        "--master", master,
        "--class", MAIN_CLASS,
        "--driver-java-options", marker + " " + LEAN_JVM,
        "--conf", "spark.executor.extraJavaOptions=" + marker + " " + LEAN_JVM,
        "--conf", "spark.ui.enabled=false",
        // Standalone counts registered cores against spark.cores.max; unset, the ratio is met at once.
        "--conf", "spark.cores.max=2",
        "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
        "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=90s",
        "--conf", "spark.eventLog.enabled=true",
        "--conf", "spark.eventLog.dir=" + eventLog.toUri(),
        "--conf", "spark.eventLog.compress=false",
        // Spark 4 rolls event logs into a directory by default; one plain file is simpler to read.
        "--conf", "spark.eventLog.rolling.enabled=false"));
    for (String c : sparkConf) {
      cmd.add("--conf");
      cmd.add(c);
    }
    cmd.add(appJar().toString());
    cmd.addAll(Arrays.asList(appArgs));
    Map<String, String> env = Subprocess.hermeticEnv();
    env.put("SPARK_HOME", home.toString());
    // Scratch space of the driver, the Workers and the executors they start (spark.local.dir
    // would be overridden for executors by the Worker's own setting).
    env.put("SPARK_LOCAL_DIRS", local.toString());
    env.put("M31R_CONFIG", repoRoot().resolve("conf/release.yaml").toString());
    return new Submission(Subprocess.start(name, cmd, env, runDir, marker), eventLog);
  }

  /**
   * A Spark daemon of this home ({@code spark-class MAIN args}), e.g. a standalone Master or
   * Worker; {@code wrapper} goes in front (such as {@code unshare ... bash -c}), and the marker
   * reaches the daemon's JVM through SPARK_DAEMON_JAVA_OPTS.
   */
  Subprocess startDaemon(String name, Path logDir, List<String> wrapper, String mainClass, String... args) throws IOException {
    String marker = "-Dm31r.it.run=" + UUID.randomUUID();
    List<String> cmd = new ArrayList<>(wrapper);
    String launch = home.resolve("bin/spark-class") + " " + mainClass + " " + String.join(" ", args);
    if (wrapper.isEmpty()) {
      cmd.addAll(Arrays.asList(launch.split(" ")));
    } else {
      cmd.set(cmd.size() - 1, cmd.get(cmd.size() - 1) + " exec " + launch);
    }
    Map<String, String> env = Subprocess.hermeticEnv();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_DAEMON_JAVA_OPTS", marker + " " + LEAN_JVM);
    return Subprocess.start(name, cmd, env, logDir, marker);
  }

  /** The embedded path, as a user runs it: {@code scripts/m31r <args>} (local[*], one JVM). */
  static Subprocess startEmbedded(String name, Path runDir, String... args) throws IOException {
    return startEmbedded(name, runDir, Map.of(), args);
  }

  /** As {@link #startEmbedded(String, Path, String...)}, with {@code extraEnv} added to its environment. */
  static Subprocess startEmbedded(String name, Path runDir, Map<String, String> extraEnv, String... args)
      throws IOException {
    String marker = "-Dm31r.it.run=" + UUID.randomUUID();
    List<String> cmd = new ArrayList<>();
    cmd.add(repoRoot().resolve("scripts/m31r").toString());
    cmd.addAll(Arrays.asList(args));
    Map<String, String> env = Subprocess.hermeticEnv();
    env.put("JAVA_OPTS", marker + " " + LEAN_JVM);
    env.put("M31R_CONFIG", repoRoot().resolve("conf/release.yaml").toString());
    env.putAll(extraEnv);
    return Subprocess.start(name, cmd, env, runDir, marker);
  }

  private static Path requiredFile(String property) {
    String value = System.getProperty(property);
    if (value == null || !Files.isRegularFile(Path.of(value))) {
      throw new IllegalStateException(
          "system property " + property + " must name a built file (run through maven-failsafe after package): " + value);
    }
    return Path.of(value);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    // Files.walk does not follow links: the jars/ symlinks are removed, never their targets.
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
