package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.FaultInjection;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.GitCli;
import io.m31r.release.testing.SampleWorkspaces;
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
      return Cli.run("--config", config.toString(), "export", "--version", VERSION, "--type", "A", "--quiet");
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

    for (String point : List.of("after-freeze", "benchmark", "rebuild", "after-tag")) {
      Cli.Run r = export(config, point + ":fail");
      assertEquals(1, r.exitCode(), point + ": " + r.err());
      assertTrue(r.err().contains("injected failure at " + point), r.err());
      assertFalse(Files.exists(root.resolve(VERSION)), point);
      assertEquals("", GitCli.run(ws, "tag", "-l", "v" + VERSION), point + ": a tag without a release was left");
      assertNoLeftovers(root, point);
    }

    // During publish: the folder is in place, its record not written. Not a release yet; the tag stays for the rerun.
    Cli.Run during = export(config, "publish:fail");
    assertEquals(1, during.exitCode(), during.err());
    assertTrue(Files.isDirectory(root.resolve(VERSION)));
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
    assertEquals(VERSION + "\n", Files.readString(root.resolve("CURRENT")));
    Cli.Run after = Cli.runWithoutSpark("list", "--root", root.toString(), "--repo", ws.toString());
    assertFalse(after.out().contains("not a release") || after.out().contains("tag without release"), after.out());
    assertNoLeftovers(root, "rerun");
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
