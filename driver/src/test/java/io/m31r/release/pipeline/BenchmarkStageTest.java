package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.config.ConfigLoader;
import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.testing.ReleaseFixtures;
import io.m31r.release.testing.SampleWorkspaces;
import io.m31r.release.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark stage alone, on the shared local Spark session: the sample's frozen bundle
 * generated from and judged on its suite, and a bundle changed after the freeze refused before any
 * sample is generated. The stage gates nothing itself (the pipeline enforces the gates) and never
 * writes to the release root.
 */
class BenchmarkStageTest {
  @TempDir Path tmp;

  private record Setup(ReleaseSettings settings, ReleaseInputs in, ReleaseRoot root, Path rootDir, FrozenBundle bundle, Path work) {}

  private Setup setup() throws Exception {
    Path ws = SampleWorkspaces.copy(tmp);
    ReleaseSettings s = new ConfigLoader().load(ws.resolve("release.yaml")).requireRelease("test");
    ReleaseInputs in = ReleaseInputs.resolve(s, ws);
    Path work = Files.createDirectories(tmp.resolve("work"));
    FrozenBundle bundle = FrozenBundle.freeze(in.model(), in.tokenizer(), in.trainingConfig(), work.resolve("candidate"));
    ReleaseRoot root = ReleaseRoot.at(in.root(), TestSpark.session().sparkContext().hadoopConfiguration());
    return new Setup(s, in, root, ws.resolveSibling("release"), bundle, work);
  }

  private static BenchmarkStage.Outcome run(Setup x) {
    return new BenchmarkStage(TestSpark.session(), null)
        .run(x.settings(), x.in(), x.bundle(), x.root(), x.work(), Optional.empty(), Optional.empty());
  }

  @Test
  void theFrozenBundleIsGeneratedFromAndJudgedOnTheWholeSuite() throws Exception {
    Setup x = setup();
    Map<String, String> rootBefore = ReleaseFixtures.snapshot(x.rootDir());
    BenchmarkStage.Outcome r = run(x);
    assertTrue(r.previous().isEmpty(), "no previous release to compare with");
    assertEquals(0, r.candidate().sandboxErrors());
    int samples = r.candidate().suite().tasks().size() * x.settings().bench().samplesPerTask();
    assertEquals(samples, Files.readAllLines(r.candidate().samples()).size(), "one line per generated sample");
    // Gated against the configured targets only (no previous release), the compile rate measured.
    assertTrue(r.candidate().gates().stream().allMatch(g -> g.gate().equals("target")), r.candidate().gates().toString());
    assertTrue(r.candidate().gates().stream().anyMatch(g -> g.metric().equals(io.m31r.release.metrics.GatedMetric.COMPILE_RATE) && g.candidate() != null),
        r.candidate().gates().toString());
    assertTrue(r.candidate().report().startsWith(x.work()), "the report stays in the work folder: " + r.candidate().report());
    assertEquals(rootBefore, ReleaseFixtures.snapshot(x.rootDir()), "the release root is only read");
  }

  @Test
  void aBundleChangedAfterTheFreezeIsRefusedBeforeAnySampleIsGenerated() throws Exception {
    Setup x = setup();
    ReleaseFixtures.flipByte(x.bundle().model());
    Map<String, String> rootBefore = ReleaseFixtures.snapshot(x.rootDir());
    IntegrityException e = assertThrows(IntegrityException.class, () -> run(x));
    assertEquals(ExitCode.INTEGRITY, e.exitCode());
    assertTrue(e.getMessage().startsWith("checksum mismatch for model.safetensors"), e.getMessage());
    assertFalse(Files.exists(x.work().resolve("bench")), "nothing generated or judged");
    assertEquals(rootBefore, ReleaseFixtures.snapshot(x.rootDir()));
  }
}
