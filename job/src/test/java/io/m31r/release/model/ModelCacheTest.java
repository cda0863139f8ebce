package io.m31r.release.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.m31r.release.failure.IntegrityException;
import io.m31r.release.model.runtime.RuntimeOptions;
import io.m31r.release.model.testing.RandomModel;
import io.m31r.release.model.testing.TestTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCacheTest {
  @TempDir Path dir;

  @Test
  void concurrentTasksShareOneModelPerContent() throws Exception {
    ModelCache cache = new ModelCache();
    RandomModel random = new RandomModel(RandomModel.tinyConfig(TestTokenizer.vocabSize()), 31);
    Path a = random.writeBundle(dir.resolve("a"), true);
    Path b = random.writeBundle(dir.resolve("b"), true);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<LoadedModel>> futures = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        Path bundle = i % 2 == 0 ? a : b;
        futures.add(pool.submit(() -> cache.get(bundle, false, RuntimeOptions.CPU_FP32)));
      }
      LoadedModel first = futures.get(0).get();
      for (Future<LoadedModel> f : futures) {
        // Same bytes at two paths are one model.
        assertSame(first, f.get());
      }
      assertEquals(1, cache.size());
      RandomModel other = new RandomModel(RandomModel.tinyConfig(TestTokenizer.vocabSize()), 32);
      LoadedModel different = cache.get(other.writeBundle(dir.resolve("c"), true), false, RuntimeOptions.CPU_FP32);
      assertNotSame(first, different);
      assertEquals(2, cache.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTamperedBundleIsNeverServedFromTheCache() throws IOException {
    ModelCache cache = new ModelCache();
    Path a = new RandomModel(RandomModel.tinyConfig(TestTokenizer.vocabSize()), 33).writeBundle(dir.resolve("t"), true);
    cache.get(a, false, RuntimeOptions.CPU_FP32);
    Files.writeString(a.resolve("config.yaml"), Files.readString(a.resolve("config.yaml")) + "# edited\n");
    assertThrows(IntegrityException.class, () -> cache.get(a, false, RuntimeOptions.CPU_FP32));
  }
}
