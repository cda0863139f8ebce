package io.m31r.release.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.m31r.release.failure.ConflictException;
import io.m31r.release.hadoop.StorageUris;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImmutableFileWriterTest {
  @TempDir Path tmp;

  private final ImmutableFileWriter writer = new ImmutableFileWriter(new Configuration());

  private org.apache.hadoop.fs.Path target(String name) {
    return StorageUris.resolve("test", tmp.resolve(name).toString(), new Configuration());
  }

  @Test
  void createsOnceThenAcceptsOnlyIdenticalRetries() throws Exception {
    byte[] a = "a\n".getBytes(StandardCharsets.UTF_8);
    assertEquals(WriteOutcome.CREATED, writer.write(target("x/m.json"), a));
    assertEquals(WriteOutcome.ALREADY_IDENTICAL, writer.write(target("x/m.json"), a));
    assertThrows(ConflictException.class, () -> writer.write(target("x/m.json"), "b\n".getBytes(StandardCharsets.UTF_8)));
    assertArrayEquals(a, Files.readAllBytes(tmp.resolve("x/m.json")));
    try (var s = Files.list(tmp.resolve("x"))) {
      assertEquals(List.of(tmp.resolve("x/m.json")), s.toList(), "no temporary files left");
    }
  }

  /** Racing writers of different content: exactly one wins, the others see a conflict. */
  @Test
  void concurrentWritersOfDifferentContentYieldOneWinner() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<WriteOutcome>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        byte[] content = ("writer " + i + "\n").getBytes(StandardCharsets.UTF_8);
        Callable<WriteOutcome> c = () -> writer.write(target("race.json"), content);
        results.add(pool.submit(c));
      }
      int created = 0;
      int conflicts = 0;
      for (Future<WriteOutcome> f : results) {
        try {
          if (f.get() == WriteOutcome.CREATED) {
            created++;
          }
        } catch (java.util.concurrent.ExecutionException e) {
          assertEquals(ConflictException.class, e.getCause().getClass());
          conflicts++;
        }
      }
      assertEquals(1, created);
      assertEquals(7, conflicts);
    } finally {
      pool.shutdownNow();
    }
  }
}
