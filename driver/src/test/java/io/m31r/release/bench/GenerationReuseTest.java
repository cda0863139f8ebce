package io.m31r.release.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.reuse.ReuseArea;
import io.m31r.release.suite.BenchSuite;
import io.m31r.release.suite.BenchTask;
import io.m31r.release.suite.SuiteLoader;
import io.m31r.release.tasks.bench.GeneratedSample;
import io.m31r.release.tasks.bench.GenerationSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kept generation comes back sample for sample, and only when it is exactly this suite's, from this model. */
class GenerationReuseTest {
  private static final String MODEL = "a".repeat(64);
  private static final GenerationSettings SETTINGS =
      new GenerationSettings("/models/candidate", null, false, 2, 0.8, 0, 1.0, 42, 64, "cpu", null, null);

  @TempDir Path tmp;

  @Test
  void keptSamplesComeBackExactlyTimingsIncluded() throws Exception {
    BenchSuite suite = new SuiteLoader().load(BenchCommandTest.SUITE);
    List<GeneratedSample> samples = samples(suite, MODEL);
    reuse(MODEL).keep(samples, 12.5);
    GenerationReuse.Generated back = reuse(MODEL).find(suite, 2, why -> {
      throw new AssertionError(why);
    }).orElseThrow();
    assertEquals(samples, back.samples());
    assertEquals(12.5, back.seconds());
    // Other settings, another model: another key, so nothing to reuse and nothing to say.
    List<String> why = new ArrayList<>();
    GenerationSettings greedy = new GenerationSettings("/models/candidate", null, false, 2, 0.0, 0, 1.0, 42, 64, "cpu", null, null);
    assertTrue(new GenerationReuse(area(), MODEL, "t", "c", suite.digest(), greedy).find(suite, 2, why::add).isEmpty());
    assertTrue(reuse("b".repeat(64)).find(suite, 2, why::add).isEmpty());
    assertEquals(List.of(), why);
  }

  @Test
  void aKeptGenerationWithASampleMissingOrOfAnotherModelIsGeneratedAgain() throws Exception {
    BenchSuite suite = new SuiteLoader().load(BenchCommandTest.SUITE);
    List<GeneratedSample> samples = samples(suite, MODEL);
    reuse(MODEL).keep(samples.subList(1, samples.size()), 3.0);
    List<String> why = new ArrayList<>();
    assertTrue(reuse(MODEL).find(suite, 2, why::add).isEmpty());
    assertEquals(List.of("the kept generation does not hold exactly the " + samples.size() + " samples of this suite"), why);

    List<GeneratedSample> mixed = new ArrayList<>(samples);
    GeneratedSample s = mixed.get(0);
    mixed.set(0, new GeneratedSample(s.taskId(), s.index(), s.completion(), s.generatedTokens(), s.ttftMs(), s.msPerToken(),
        s.peakRssBytes(), "b".repeat(64), false));
    reuse(MODEL).keep(mixed, 3.0);
    why.clear();
    assertTrue(reuse(MODEL).find(suite, 2, why::add).isEmpty());
    assertTrue(why.get(0).startsWith("the kept generation has a sample of another model"), why.toString());
  }

  private GenerationReuse reuse(String model) {
    return new GenerationReuse(area(), model, "t".repeat(64), "c".repeat(64), "suite", SETTINGS);
  }

  private ReuseArea area() {
    return ReuseArea.at(tmp.resolve("area"), "test", why -> {
      throw new AssertionError(why);
    }).orElseThrow();
  }

  private static List<GeneratedSample> samples(BenchSuite suite, String model) {
    List<GeneratedSample> out = new ArrayList<>();
    int n = 0;
    for (BenchTask t : suite.tasks()) {
      for (int i = 0; i < 2; i++, n++) {
        // Doubles that do not round-trip through a short decimal, a null timing, a too-long prompt.
        out.add(new GeneratedSample(t.id(), i, "    a + b\n}\n// \u00e9 " + n, 7 + n, 0.1 + n / 3.0,
            n % 3 == 0 ? null : 1.0 / (n + 7), n % 4 == 0 ? null : 1_000_000L + n, model, n == 5));
      }
    }
    return out;
  }
}
