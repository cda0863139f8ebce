package io.m31r.release.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {
  @TempDir Path dir;

  @Test
  void keepsTheCapAndDrainsTheRest() throws Exception {
    ProcessOutcome o = ProcessRunner.run(
        List.of("sh", "-c", "head -c 1073741824 /dev/zero; echo done >&2"), dir, Map.of("PATH", "/usr/bin:/bin"), 60_000, 64 << 10, false);
    assertEquals(0, o.exitCode());
    assertEquals(64 << 10, o.stdout().length());
    assertEquals(1L << 30, o.stdoutBytes());
    assertEquals("done\n", o.stderr());
  }

  @Test
  void timeoutKillsTheWholeGroupIncludingBackgroundChildren() throws Exception {
    long t0 = System.nanoTime();
    ProcessOutcome o = ProcessRunner.run(
        List.of("sh", "-c", "sleep 300 & sleep 301 & wait"), dir, Map.of("PATH", "/usr/bin:/bin"), 500, 1024, false);
    assertTrue(o.timedOut());
    assertTrue((System.nanoTime() - t0) / 1e9 < 10, "returned promptly");
    Process p = new ProcessBuilder("pgrep", "-f", "sleep 30[01]").start();
    assertEquals("", new String(p.getInputStream().readAllBytes()).trim());
  }

  @Test
  void environmentIsOnlyWhatWasGiven() throws Exception {
    ProcessOutcome o = ProcessRunner.run(List.of("/usr/bin/env"), dir, Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString()), 10_000, 4096, false);
    assertEquals("PATH=/usr/bin:/bin\nHOME=" + dir + "\n", o.stdout().lines().sorted((a, b) -> b.compareTo(a)).reduce("", (a, b) -> a + b + "\n"));
  }
}
