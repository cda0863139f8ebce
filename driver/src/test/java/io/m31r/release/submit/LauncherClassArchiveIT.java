package io.m31r.release.submit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.testing.Datasets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * scripts/m31r's class data sharing (docs/performance.md, "Start-up"), checked with the JVM's own
 * class-load log: a command's first run leaves only a marker, its second writes the archive, later
 * runs load the CLI's and Spark's classes from it, and M31R_CDS=0 or a failed run writes none. The
 * commands' output stays as it was.
 */
class LauncherClassArchiveIT {
  private static final Duration RUN_LIMIT = Duration.ofSeconds(150);
  private static final String SHARED = "io.m31r.release.cli.M31rCli source: shared objects file";

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void theSecondRunOfACommandWritesTheArchiveThatLaterRunsLoadTheirClassesFrom() throws Exception {
    Path dir = SparkHome.testDir(LauncherClassArchiveIT.class);
    Path archives = archives();
    deleteFilesOf(archives, "freeze");
    Path dataset = dir.resolve("dataset");
    Datasets.write(dataset, 11L, 0, 5, 4096, 70001);

    Subprocess.Result first = freeze(dir, "first", Map.of());
    assertEquals(List.of(".ran"), suffixesOf(archives, "freeze"), "a first run leaves only its marker");

    Subprocess.Result second = freeze(dir, "second", Map.of());
    assertEquals(List.of(".jsa", ".ran"), suffixesOf(archives, "freeze"), "the second run writes the archive");
    assertEquals(List.of(), partials(archives), "no half-written archive is left");
    assertEquals(withoutTimings(first.out()), withoutTimings(second.out()));
    assertFalse(second.out().toLowerCase().contains("cds") || second.out().contains("[warning]"), second.out());

    Path log = dir.resolve("classes-third.log");
    Subprocess.Result third = freeze(dir, "third", Map.of("JAVA_TOOL_OPTIONS", classLog(log)));
    assertTrue(Files.readString(log, StandardCharsets.UTF_8).contains(SHARED), "the third run maps the archive");
    assertEquals(withoutTimings(first.out()), withoutTimings(third.out()));
    assertArrayEquals(Files.readAllBytes(dir.resolve("out/first.json")), Files.readAllBytes(dir.resolve("out/third.json")));

    Path offLog = dir.resolve("classes-off.log");
    freeze(dir, "off", Map.of("M31R_CDS", "0", "JAVA_TOOL_OPTIONS", classLog(offLog)));
    assertFalse(Files.readString(offLog, StandardCharsets.UTF_8).contains(SHARED), "M31R_CDS=0 maps no archive");
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aSecondRunThatFailsWritesNoArchive() throws Exception {
    Path dir = SparkHome.testDir(LauncherClassArchiveIT.class).resolve("failing");
    Path archives = archives();
    deleteFilesOf(archives, "verify-dataset");
    for (String run : List.of("first", "second")) {
      Subprocess.Result r;
      try (Subprocess p = SparkHome.startEmbedded(run, dir,
          "verify-dataset", "--manifest", dir.resolve("no-such-manifest.json").toString())) {
        r = p.await(RUN_LIMIT);
      }
      assertNotEquals(0, r.exitCode(), run + " run must fail:\n" + r.out() + r.errTail());
    }
    assertEquals(List.of(".ran"), suffixesOf(archives, "verify-dataset"));
    assertEquals(List.of(), partials(archives), "no half-written archive is left");
  }

  private static Subprocess.Result freeze(Path dir, String run, Map<String, String> env) throws Exception {
    Subprocess.Result r;
    try (Subprocess p = SparkHome.startEmbedded(run, dir, env,
        "freeze", "--dataset", dir.resolve("dataset").toString(), "--out", dir.resolve("out/" + run + ".json").toString())) {
      r = p.await(RUN_LIMIT);
    }
    assertEquals(0, r.exitCode(), run + " run of scripts/m31r freeze:\n" + r.errTail());
    return r;
  }

  private static String classLog(Path file) {
    return "-Xlog:class+load=info:file=" + file;
  }

  /** The output without what differs between runs by design: timings and the manifest's name. */
  private static String withoutTimings(String out) {
    return out.lines()
        .filter(l -> !l.startsWith("timings:") && !l.startsWith("manifest:"))
        .reduce("", (a, b) -> a + b + "\n");
  }

  private static Path archives() {
    return SparkHome.repoRoot().resolve("driver/target/launcher/cds");
  }

  /** Other tests may have run the command through scripts/m31r already. */
  private static void deleteFilesOf(Path archives, String command) throws IOException {
    if (!Files.isDirectory(archives)) {
      return;
    }
    try (Stream<Path> s = Files.list(archives)) {
      for (Path p : s.filter(p -> ofCommand(p, command)).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The suffixes of the command's files: its key is the same for all of them. */
  private static List<String> suffixesOf(Path archives, String command) throws IOException {
    try (Stream<Path> s = Files.list(archives)) {
      return s.filter(p -> ofCommand(p, command))
          .map(p -> p.getFileName().toString().replaceAll("^.*(\\.[a-z]+)$", "$1"))
          .sorted()
          .toList();
    }
  }

  private static boolean ofCommand(Path p, String command) {
    return p.getFileName().toString().matches(command.replace("-", "\\-") + "-[0-9a-f]{16}\\.(ran|jsa)");
  }

  private static List<Path> partials(Path archives) throws IOException {
    try (Stream<Path> s = Files.list(archives)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
    }
  }
}
