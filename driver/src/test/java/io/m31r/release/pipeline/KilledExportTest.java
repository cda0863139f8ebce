package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.cli.M31rCli;
import io.m31r.release.failure.FaultInjection;
import io.m31r.release.reuse.ReuseArea;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.GitCli;
import io.m31r.release.testing.SampleWorkspaces;
import io.m31r.release.testing.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code m31r export} in its own JVM, killed with SIGKILL (no shutdown hook, no finally block runs)
 * once it has announced the validate stage: by then the release is packaged in the work folder but
 * neither tagged nor published. The release root must show no release, the repository no tag, and
 * a plain rerun must publish the release as if the killed run had never been.
 */
class KilledExportTest {
  private static final String VALIDATE = "[validate] stage 7/11 validate";
  private static final String TAG = "[tag] stage 9/11 tag";
  /** 128 + SIGKILL: the exit status the JDK reports for a process killed by signal 9. */
  private static final int KILLED = 137;

  @TempDir Path tmp;

  @Test
  @Timeout(value = 25, unit = TimeUnit.MINUTES)
  void exportKilledDuringValidateLeavesNoReleaseNoTagAndARerunPublishes() throws Exception {
    Path ws = SampleWorkspaces.copy(tmp);
    // Both runs keep reusable work here: the rerun must not generate or retrain again.
    Path reuse = tmp.resolve("reuse");
    Path config = ws.resolve("release.yaml");
    Path root = tmp.resolve("release");
    // The child's work folder (and Spark's scratch space) stay inside this test's folder when killed.
    Path childTmp = Files.createDirectories(tmp.resolve("child-tmp"));

    // stderr goes to a file that is polled: a pipe would be closed under a reader when the JVM dies.
    Path errFile = tmp.resolve("export.err");
    ProcessBuilder pb = new ProcessBuilder(childCommand(childTmp, List.of("-D" + ReuseArea.DIR_KEY + "=" + reuse),
        "--config", config.toString(), "export", "--version", "0.1.0", "--type", "A"))
        .redirectOutput(tmp.resolve("export.out").toFile())
        .redirectError(errFile.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("M31R_") || k.startsWith("SPARK_") || k.startsWith("HADOOP_"));
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process export = pb.start();
    boolean validating;
    try {
      validating = awaitLine(export, errFile, VALIDATE);
    } finally {
      killTree(export);
    }
    String err = new String(Files.readAllBytes(errFile), StandardCharsets.UTF_8);
    assertTrue(validating, "the export ended before its validate stage:\n" + err);
    assertEquals(KILLED, export.exitValue(), "the export was killed, it did not finish:\n" + err);
    assertTrue(err.contains("[package] stage package done in "), err);
    assertFalse(err.contains(TAG), "killed during validate, before tagging:\n" + err);

    // Nothing is visible: no version folder, no control files, no tag. Only hidden leftovers may remain.
    if (Files.exists(root)) {
      try (Stream<Path> s = Files.list(root)) {
        List<String> visible = s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
        assertEquals(List.of(), visible, "entries under the release root after the kill");
      }
    }
    assertFalse(Files.exists(root.resolve("0.1.0")));
    assertFalse(Files.exists(root.resolve("index.json")));
    assertFalse(Files.exists(root.resolve("CURRENT")));
    assertEquals("", GitCli.run(ws, "tag", "-l", "v0.1.0"));
    assertEquals("", GitCli.run(ws, "status", "--porcelain"), "the work tree stays clean for the rerun");
    Cli.Run listed = Cli.run("list", "--root", root.toString());
    assertEquals(0, listed.exitCode(), listed.err());
    assertTrue(listed.out().startsWith("no releases under "), listed.out());
    Cli.Run missing = Cli.run("verify", "0.1.0", "--root", root.toString());
    assertEquals(2, missing.exitCode(), missing.out() + missing.err());

    // What the killed run finished before validate (generation, an identical rebuild) was kept.
    assertEquals(List.of("generation", "rebuild"), InterruptedExportTest.names(reuse).stream().map(n -> n.substring(0, n.indexOf('-'))).toList());
    SparkConf conf = TestSpark.session().sparkContext().conf();
    conf.set(ReuseArea.DIR_KEY, reuse.toString());
    Cli.Run rerun;
    try {
      rerun = Cli.run("--config", config.toString(), "export", "--version", "0.1.0", "--type", "A");
    } finally {
      conf.set(ReuseArea.DIR_KEY, "");
    }
    assertEquals(0, rerun.exitCode(), rerun.err());
    assertTrue(rerun.err().contains("benchmark: reused the generation a failed run kept in " + reuse), rerun.err());
    assertTrue(rerun.err().contains("rebuild: reused the identical verdict a failed run kept in " + reuse), rerun.err());
    assertFalse(rerun.err().contains("rebuild | "), "the rerun did not retrain:\n" + rerun.err());
    assertTrue(rerun.out().contains("(rebuilt from scratch: identical)"), rerun.out());
    assertEquals(List.of(), InterruptedExportTest.names(reuse), "published: the kept work is removed");
    try (Stream<Path> files = Files.list(root.resolve("0.1.0"))) {
      assertEquals(ExportEndToEndTest.SIX, files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    Cli.Run verify = Cli.run("verify", "0.1.0", "--root", root.toString());
    assertEquals(0, verify.exitCode(), verify.out() + verify.err());
    assertEquals("v0.1.0\n", GitCli.run(ws, "tag", "-l", "v0.1.0"));
    assertEquals("0.1.0\n", Files.readString(root.resolve("CURRENT")));
    Cli.Run listedAfter = Cli.run("list", "--root", root.toString());
    assertTrue(listedAfter.out().contains("0.1.0") && listedAfter.out().contains("* current"), listedAfter.out());
    // The rerun found the killed run's lease stale (its process is gone) and cleared what it left.
    assertEquals(List.of(), InterruptedExportTest.names(root.resolve(".locks")));
    assertEquals(List.of(), InterruptedExportTest.names(root.resolve(".staging")));
    assertEquals(List.of(), InterruptedExportTest.names(childTmp).stream().filter(n -> n.startsWith("m31r-export-")).toList(),
        "the killed run's work folder");
  }

  /**
   * Killed after publish, before the index (the test hook's halt: no finally block, no shutdown
   * hook, exit status 137 as with SIGKILL). The release is published and recorded, the index does
   * not know it. The scheduler's retry exits 0, "already released, identical", with a complete index.
   */
  @Test
  @Timeout(value = 25, unit = TimeUnit.MINUTES)
  void exportKilledAfterPublishIsCompletedByItsRetry() throws Exception {
    Path ws = SampleWorkspaces.copy(tmp);
    InterruptedExportTest.asExperiment(ws);
    Path config = ws.resolve("release.yaml");
    Path root = tmp.resolve("release");
    Path childTmp = Files.createDirectories(tmp.resolve("child-tmp"));
    ProcessBuilder pb = new ProcessBuilder(childCommand(childTmp, List.of("-D" + FaultInjection.PROPERTY + "=after-publish:halt"),
        "--config", config.toString(), "export", "--version", "0.1.0", "--type", "D", "--quiet"))
        .redirectOutput(tmp.resolve("export.out").toFile())
        .redirectError(tmp.resolve("export.err").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("M31R_") || k.startsWith("SPARK_") || k.startsWith("HADOOP_"));
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process export = pb.start();
    assertTrue(export.waitFor(20, TimeUnit.MINUTES), "the export did not end");
    String err = Files.readString(tmp.resolve("export.err"));
    assertEquals(KILLED, export.exitValue(), err);
    assertTrue(err.contains("halting at after-publish"), err);
    assertTrue(Files.exists(root.resolve(".published/0.1.0.json")));
    assertFalse(Files.exists(root.resolve("index.json")), "killed before the index");

    Cli.Run retry = Cli.run("--config", config.toString(), "export", "--version", "0.1.0", "--type", "D", "--quiet");
    assertEquals(0, retry.exitCode(), retry.err());
    assertTrue(retry.out().contains("already released, identical"), retry.out());
    assertTrue(Files.readString(root.resolve("index.json")).contains("\"version\": \"0.1.0\""));
    assertEquals("v0.1.0\n", GitCli.run(ws, "tag", "-l", "v0.1.0"));
    Cli.Run verify = Cli.run("verify", "0.1.0", "--root", root.toString());
    assertEquals(0, verify.exitCode(), verify.out() + verify.err());
    assertTrue(Files.exists(tmp.resolve("release-reports/0.1.0.html")), "the retry wrote the missing report");
    assertEquals(List.of(), InterruptedExportTest.names(root.resolve(".locks")));
    assertEquals(List.of(), InterruptedExportTest.names(childTmp).stream().filter(n -> n.startsWith("m31r-export-")).toList());
  }

  /**
   * The CLI in a fresh JVM with this test JVM's class path and the JVM options of scripts/m31r
   * (the add-opens list of the parent pom, as filtered into target/launcher/jvm.options).
   */
  private static List<String> childCommand(Path childTmp, List<String> jvmFlags, String... args) throws Exception {
    Path testClasses = Path.of(KilledExportTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path jvmOptions = testClasses.getParent().resolve("launcher/jvm.options");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.asList(Files.readString(jvmOptions).trim().split("\\s+")));
    cmd.addAll(List.of(
        "-Xmx2g",
        "-Dai.djl.offline=true",
        "-Dspark.master=local[2]",
        "-Dspark.ui.enabled=false",
        "-Djava.io.tmpdir=" + childTmp));
    cmd.addAll(jvmFlags);
    cmd.addAll(List.of(
        "-cp", System.getProperty("java.class.path"),
        M31rCli.class.getName()));
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  /** Whether a line starting with {@code prefix} appeared in {@code log} while {@code p} ran. */
  private static boolean awaitLine(Process p, Path log, String prefix) throws IOException, InterruptedException {
    while (true) {
      boolean alive = p.isAlive();
      if (new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().anyMatch(l -> l.startsWith(prefix))) {
        return true;
      }
      if (!alive) {
        return false;
      }
      Thread.sleep(20);
    }
  }

  /** SIGKILL to the export and to anything it started (rustc, a model generation), then wait. */
  private static void killTree(Process p) throws InterruptedException {
    List<ProcessHandle> children = p.descendants().toList();
    p.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the killed export did not exit");
  }
}
