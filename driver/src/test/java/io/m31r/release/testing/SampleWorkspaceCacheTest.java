package io.m31r.release.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build's cache of trained sample workspaces: reused only when verified, keyed by the code. */
class SampleWorkspaceCacheTest {
  private static final List<String> ARGS = List.of("sample", "--out", "{out}", "--quiet");

  @TempDir Path tmp;

  private final AtomicInteger runs = new AtomicInteger();

  /** Writes a small workspace and counts its runs; the output names the run. */
  private Cli.Run write(List<String> args) {
    Path ws = Path.of(args.get(args.indexOf("--out") + 1));
    try {
      Files.createDirectories(ws.resolve("checkpoint"));
      Files.writeString(ws.resolve("checkpoint/model.safetensors"), "weights");
      Files.writeString(ws.resolve("release.yaml"), "root: ../release\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Cli.Run(0, "run " + runs.incrementAndGet() + " at " + ws + "\n", "");
  }

  private SampleWorkspaceCache cache() {
    return new SampleWorkspaceCache(tmp.resolve("cache"), repoRoot());
  }

  @Test
  void aSecondJvmReusesTheVerifiedEntryWithItsOutput() throws Exception {
    SampleWorkspaceCache.Entry first = cache().get(ARGS, this::write);
    assertFalse(first.reused());
    SampleWorkspaceCache.Entry second = cache().get(ARGS, this::write);
    assertTrue(second.reused());
    assertEquals(1, runs.get());
    assertEquals(first.workspace(), second.workspace());
    assertTrue(second.run().out().startsWith("run 1 at "), second.run().out());
    assertEquals("run 1 at " + tmp.resolve("copy") + "\n", second.runAt(tmp.resolve("copy")).out());
    assertEquals("weights", Files.readString(second.workspace().resolve("checkpoint/model.safetensors")));
  }

  @Test
  void aChangedRemovedOrAddedFileIsDiscardedAndTrainedAgain() throws Exception {
    Path ws = cache().get(ARGS, this::write).workspace();
    Files.writeString(ws.resolve("checkpoint/model.safetensors"), "tampered");
    SampleWorkspaceCache.Entry again = cache().get(ARGS, this::write);
    assertFalse(again.reused());
    assertEquals("weights", Files.readString(again.workspace().resolve("checkpoint/model.safetensors")));

    Files.delete(again.workspace().resolve("release.yaml"));
    assertFalse(cache().get(ARGS, this::write).reused());

    Files.writeString(again.workspace().resolve("extra"), "x");
    assertFalse(cache().get(ARGS, this::write).reused());
    assertEquals(4, runs.get());
    assertFalse(Files.exists(again.workspace().resolve("extra")));
  }

  @Test
  void aFailedRunLeavesNoEntry() throws Exception {
    AssertionError e = assertThrows(AssertionError.class,
        () -> cache().get(ARGS, args -> new Cli.Run(2, "", "bad seed")));
    assertTrue(e.getMessage().contains("bad seed"), e.getMessage());
    try (var entries = Files.list(tmp.resolve("cache"))) {
      assertEquals(List.of(), entries.filter(p -> !p.getFileName().toString().endsWith(".lock")).toList());
    }
  }

  @Test
  void aSecondAskerWaitsForTheTrainingUnderWayAndReusesIt() throws Exception {
    CountDownLatch training = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<SampleWorkspaceCache.Entry> first = pool.submit(() -> cache().get(ARGS, args -> {
        training.countDown();
        sleep(500);
        return write(args);
      }));
      assertTrue(training.await(30, TimeUnit.SECONDS));
      Future<SampleWorkspaceCache.Entry> second = pool.submit(() -> cache().get(ARGS, this::write));
      assertFalse(first.get(60, TimeUnit.SECONDS).reused());
      assertTrue(second.get(60, TimeUnit.SECONDS).reused());
      assertEquals(1, runs.get());
    } finally {
      pool.shutdownNow();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theKeyFollowsTheCommandAndTheSources() throws Exception {
    Path repo = repoRoot();
    String key = SampleWorkspaceCache.key(repo, ARGS);
    assertEquals(key, SampleWorkspaceCache.key(repo, ARGS));
    assertNotEquals(key, SampleWorkspaceCache.key(repo, List.of("sample", "--out", "{out}")));
    // A copy of the sources with one trainer file changed gets another key.
    Path copy = tmp.resolve("repo");
    for (String part : List.of("pom.xml", "job/pom.xml", "driver/pom.xml", "job/src/main", "driver/src/main")) {
      Path from = repo.resolve(part);
      if (Files.isDirectory(from)) {
        SampleWorkspaces.copyTree(from, copy.resolve(part));
      } else {
        Files.createDirectories(copy.resolve(part).getParent());
        Files.copy(from, copy.resolve(part));
      }
    }
    assertEquals(key, SampleWorkspaceCache.key(copy, ARGS));
    Path trainer = copy.resolve("job/src/main/java/io/m31r/release/model/training/ModelTrainer.java");
    Files.writeString(trainer, Files.readString(trainer) + "\n");
    assertNotEquals(key, SampleWorkspaceCache.key(copy, ARGS));
  }

  private static Path repoRoot() {
    return Path.of("").toAbsolutePath().getParent();
  }
}
