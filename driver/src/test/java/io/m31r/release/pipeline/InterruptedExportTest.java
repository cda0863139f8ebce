package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.m31r.release.failure.FaultInjection;
import io.m31r.release.registry.ExportLease;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.GitCli;
import io.m31r.release.testing.SampleWorkspaces;
import io.m31r.release.version.Semver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export interrupted at each stage boundary (the test hook {@link FaultInjection}), one after
 * another on one workspace, each followed by the checks that nothing is left behind: no release,
 * no lease, no staging copy, no work folder, and no tag unless the release folder is in place. The
 * last interruption leaves the folder published without its record; the plain rerun completes it
 * ("already released, identical", exit 0). Issue 16 item 9, issue 10 item 5.
 */
class InterruptedExportTest {
  private static final String VERSION = "0.4.2";

  @TempDir Path tmp;

  @AfterEach
  void clearHook() {
    System.clearProperty(FaultInjection.PROPERTY);
  }

  private Cli.Run export(Path config, String fault) {
    if (fault == null) {
      System.clearProperty(FaultInjection.PROPERTY);
    } else {
      System.setProperty(FaultInjection.PROPERTY, fault);
    }
    try {
      return Cli.run("--config", config.toString(), "export", "--version", VERSION, "--type", "D", "--quiet");
    } finally {
      System.clearProperty(FaultInjection.PROPERTY);
    }
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void everyInterruptionIsClearedAndTheRerunCompletesTheRelease() throws Exception {
    Path ws = SampleWorkspaces.copy(tmp);
    Path config = ws.resolve("release.yaml");
    Path root = tmp.resolve("release");
    asExperiment(ws);
    Path folder = root.resolve("experiments").resolve(VERSION);

    for (String point : List.of("after-freeze", "benchmark", "rebuild", "after-tag")) {
      Cli.Run r = export(config, point + ":fail");
      assertEquals(1, r.exitCode(), point + ": " + r.err());
      assertTrue(r.err().contains("injected failure at " + point), r.err());
      assertFalse(Files.exists(folder), point);
      assertEquals("", GitCli.run(ws, "tag", "-l", "v" + VERSION), point + ": a tag without a release was left");
      assertNoLeftovers(root, point);
    }

    // During publish: the folder is in place, its record not written. Not a release yet; the tag stays for the rerun.
    Cli.Run during = export(config, "publish:fail");
    assertEquals(1, during.exitCode(), during.err());
    assertTrue(Files.isDirectory(folder));
    assertFalse(Files.exists(root.resolve(".published/" + VERSION + ".json")));
    assertEquals("v" + VERSION + "\n", GitCli.run(ws, "tag", "-l", "v" + VERSION));
    Cli.Run list = Cli.runWithoutSpark("list", "--root", root.toString(), "--repo", ws.toString());
    assertEquals(0, list.exitCode(), list.err());
    assertTrue(list.out().contains(VERSION) && list.out().contains("not a release"), list.out());
    assertTrue(list.out().contains("tag without release: v" + VERSION), list.out());
    assertEquals(4, Cli.runWithoutSpark("verify", VERSION, "--root", root.toString()).exitCode());
    assertNoLeftovers(root, "publish");

    Cli.Run rerun = export(config, null);
    assertEquals(0, rerun.exitCode(), rerun.err());
    assertTrue(rerun.out().contains("already released, identical"), rerun.out());
    Cli.Run verify = Cli.runWithoutSpark("verify", VERSION, "--root", root.toString());
    assertEquals(0, verify.exitCode(), verify.out() + verify.err());
    assertTrue(Files.readString(root.resolve("index.json")).contains("\"version\": \"" + VERSION + "\""));
    assertFalse(Files.exists(root.resolve("CURRENT")), "an experiment is never current");
    assertEquals("v" + VERSION + "\n", GitCli.run(ws, "tag", "-l", "v" + VERSION));
    Cli.Run after = Cli.runWithoutSpark("list", "--root", root.toString(), "--repo", ws.toString());
    assertFalse(after.out().contains("not a release") || after.out().contains("tag without release"), after.out());
    assertNoLeftovers(root, "rerun");
  }

  /**
   * Two exports of one version: this test plays the winner by holding the version's lease (its own
   * live process), and a real export is the loser. It exits 1 after preflight, before freezing,
   * with no work folder, no tag and not a byte of the winner's report changed. Issue 16 item 8.
   */
  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void theLoserOfTwoConcurrentExportsLeavesAtOnceAndNeverWritesTheWinnersReport() throws Exception {
    Path ws = SampleWorkspaces.copy(tmp);
    Path config = ws.resolve("release.yaml");
    Path root = tmp.resolve("release");
    Path report = Files.createDirectories(tmp.resolve("release-reports")).resolve(VERSION + ".html");
    Files.writeString(report, "the winner's report\n");
    ReleaseRoot r = ReleaseRoot.at(root.toString(), new org.apache.hadoop.conf.Configuration());
    try (ExportLease winner = ExportLease.acquire(r, Semver.parse(VERSION), tmp.resolve("m31r-export-winner"))) {
      Cli.Run loser = Cli.run("--config", config.toString(), "export", "--version", VERSION, "--type", "A");
      assertEquals(1, loser.exitCode(), loser.err());
      assertTrue(loser.err().contains("is being exported by " + winner.holder().owner()) && loser.err().contains("retry later"),
          loser.err());
      assertFalse(loser.err().contains("stage 2/10 freeze"), "the loser stopped before any heavy stage:\n" + loser.err());
      assertEquals("the winner's report\n", Files.readString(report));
      assertEquals("", GitCli.run(ws, "tag", "-l", "v" + VERSION));
      assertEquals(List.of(VERSION), names(root.resolve(".locks")), "the winner's lease stays");
    }
    assertNoLeftovers(root, "loser");
  }

  /**
   * The workspace as an experiment without a rebuild: every stage boundary is still crossed,
   * without retraining the model for each interruption (the rebuild stage runs and, as for any
   * type D without a command, checks nothing). No latency target either.
   */
  static void asExperiment(Path ws) throws IOException {
    Path config = ws.resolve("release.yaml");
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode tree = (ObjectNode) yaml.readTree(config.toFile());
    ObjectNode release = (ObjectNode) tree.get("release");
    release.putArray("rebuild_command");
    // Latency is a measurement: on a loaded machine it crossed the sample's 50 ms/token target,
    // which these tests are not about. Quality gates stay as they are.
    ((ObjectNode) release.get("gates")).put("max_ms_per_token", 100_000.0);
    yaml.writeValue(config.toFile(), tree);
    SampleWorkspaces.commitAll(ws, "chore: export the sample as an experiment");
  }

  /** Nothing of a run that is over: no lease, no staging copy, no work folder of this version. */
  static void assertNoLeftovers(Path root, String when) throws IOException {
    assertEquals(List.of(), names(root.resolve(".locks")), when + ": lease left");
    assertEquals(List.of(), names(root.resolve(".staging")), when + ": staging left");
    Path tmpdir = Path.of(System.getProperty("java.io.tmpdir"));
    assertEquals(List.of(), names(tmpdir).stream().filter(n -> n.startsWith("m31r-export-" + VERSION + "-")).toList(),
        when + ": work folder left");
  }

  static List<String> names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
