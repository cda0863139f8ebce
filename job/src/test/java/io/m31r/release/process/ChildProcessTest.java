package io.m31r.release.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {
  @TempDir Path tmp;

  @Test
  void everyLineOfBothStreamsArrivesInOrderAndTheExitStatusIsReturned() throws Exception {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    OptionalInt exit = ChildProcess.run(
        new ProcessBuilder("sh", "-c", "for i in $(seq 1 20000); do echo out $i; done; echo err >&2; exit 3"), Duration.ofSeconds(60), lines::add);
    assertEquals(OptionalInt.of(3), exit);
    assertEquals(20001, lines.size(), "a child writing more than a pipe holds is drained, not blocked");
    assertEquals("out 1", lines.get(0));
    assertEquals("err", lines.get(20000));
  }

  @Test
  void aTimeoutKillsTheChildAndWhatItStarted() throws Exception {
    Path pidFile = tmp.resolve("grandchild.pid");
    long start = System.nanoTime();
    OptionalInt exit = ChildProcess.run(
        new ProcessBuilder("sh", "-c", "sleep 300 & echo $! > " + pidFile + "; wait"), Duration.ofSeconds(2), line -> {});
    assertEquals(OptionalInt.empty(), exit);
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos());
    long grandchild = Long.parseLong(Files.readString(pidFile).trim());
    ProcessHandle.of(grandchild).ifPresent(h -> h.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join());
    assertFalse(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false), "the grandchild was killed too");
  }

  @Test
  void aProgramThatDoesNotExistIsNotStartedNamingIt() {
    ChildProcess.NotStartedException e = assertThrows(ChildProcess.NotStartedException.class,
        () -> ChildProcess.run(new ProcessBuilder(tmp.resolve("no-such-program").toString()), Duration.ofSeconds(5), line -> {}));
    assertTrue(e.getMessage().startsWith("cannot start '" + tmp.resolve("no-such-program") + "': "), e.getMessage());
  }

  @Test
  void theLoggedRunWritesEveryLineToTheLogAndEchoesItWithThePrefix() throws Exception {
    Path log = tmp.resolve("child.log");
    java.io.ByteArrayOutputStream shown = new java.io.ByteArrayOutputStream();
    OptionalInt exit = ChildProcess.runLogged(new ProcessBuilder("sh", "-c", "echo one; echo two"), Duration.ofSeconds(30), log,
        new java.io.PrintStream(shown, true, java.nio.charset.StandardCharsets.UTF_8), "step | ");
    assertEquals(OptionalInt.of(0), exit);
    assertEquals(List.of("one", "two"), Files.readAllLines(log));
    assertEquals("step | one\nstep | two\n", shown.toString(java.nio.charset.StandardCharsets.UTF_8));
  }
}
