package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.metrics.BadBaselineException;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.packaging.StagedRelease;
import io.m31r.release.registry.ReleasePublisher;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.testing.ReleaseFixtures;
import io.m31r.release.version.Semver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the previous release's published numbers may serve the comparison, and when its package
 * must be benchmarked again (the end-to-end path is {@link ReleaseHistoryEndToEndTest}).
 */
class PreviousBaselineTest {
  private static final String SUITE = Sha256.hex("suite");
  private static final String GROWN = Sha256.hex("suite with more tasks");

  @TempDir Path tmp;

  private ReleaseMetadata published(String summaryJson) throws Exception {
    ReleaseMetadata m = ReleaseFixtures.metadata(ReleaseFixtures.writeModelFiles(tmp.resolve("model"), 1), "0.2.0", ReleaseType.A);
    ObjectNode summary = (ObjectNode) CanonicalJson.mapper().readTree(summaryJson);
    return new ReleaseMetadata(m.architectureCompatibility(), m.configHash(), m.dataset(), m.date(), m.docsVersion(), m.gitCommit(),
        m.gitTag(), summary, m.modelHash(), m.rebuild(), m.releaseType(), m.tests(), m.tokenizerVersion(), m.tool(),
        m.trainingSeed(), m.trusted(), m.version());
  }

  @Test
  void publishedNumbersServeOnlyOnTheSameSuiteAndWithTaskOutcomes() throws Exception {
    String quality = "\"quality\":{\"compile_rate\":0.5,\"pass_at_k\":{\"1\":0.25},\"by_category\":{}";
    ReleaseMetadata recorded = published("{\"suite_digest\":\"" + SUITE + "\"," + quality
        + ",\"task_outcomes\":{\"t1\":\"passed\",\"t2\":\"failed\"}},\"performance\":{\"ms_per_token\":3.5}}");
    PreviousBaseline same = PreviousBaseline.published(recorded, SUITE).orElseThrow();
    assertFalse(same.rebenchmarked());
    assertEquals(SUITE, same.suiteDigest());
    assertEquals(Map.of("t1", true, "t2", false), same.tasks().passed());
    assertEquals(Map.of("compile_rate", 0.5, "pass@1", 0.25), same.gates().gatedValues());
    assertEquals(3.5, same.msPerToken());

    // A suite that gained tasks, and a release made before task outcomes were recorded: benchmark again.
    assertTrue(PreviousBaseline.published(recorded, GROWN).isEmpty());
    ReleaseMetadata older = published("{\"suite_digest\":\"" + SUITE + "\"," + quality + "}}");
    assertTrue(PreviousBaseline.published(older, SUITE).isEmpty());

    ReleaseMetadata garbled = published("{\"suite_digest\":\"" + SUITE + "\"," + quality + ",\"task_outcomes\":{\"t1\":1}}}");
    var e = assertThrows(BadBaselineException.class, () -> PreviousBaseline.published(garbled, SUITE));
    assertTrue(e.getMessage().contains("baseline release 0.2.0: metrics_summary.quality.task_outcomes.t1"), e.getMessage());
    ReleaseMetadata noSuite = published("{" + quality + "}}");
    assertThrows(BadBaselineException.class, () -> PreviousBaseline.published(noSuite, SUITE));
  }

  @Test
  void thePreviousPackageIsCopiedFromTheRootAndVerifiedOnLoadLikeAnyBundle() throws Exception {
    ReleaseRoot root = ReleaseRoot.at(tmp.resolve("release").toString(), new Configuration());
    StagedRelease staged = ReleaseFixtures.stage(tmp.resolve("work"), "0.2.0", ReleaseType.A, 0);
    new ReleasePublisher().publish(staged, root, Semver.parse("0.2.0"), false);
    ReleaseMetadata m = root.metadata(root.find(Semver.parse("0.2.0")).orElseThrow());
    Path copy = PreviousPackage.fetch(root, m, tmp.resolve("previous"));
    assertEquals(m.modelHash(), ModelBundle.open(copy, false).modelSha256());

    // A previous release changed since it was published is never benchmarked: exit 4, naming the file.
    Path published = tmp.resolve("release/0.2.0/tokenizer.json");
    published.toFile().setWritable(true);
    ReleaseFixtures.flipByte(published);
    Path tampered = PreviousPackage.fetch(root, m, tmp.resolve("tampered"));
    var e = assertThrows(IntegrityException.class, () -> ModelBundle.open(tampered, false));
    assertEquals(4, e.exitCode().code());
    assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    // Its metadata naming another model than its checksum.txt lists is refused before any loading.
    ReleaseMetadata other = published("{}");
    var mismatch = assertThrows(IntegrityException.class, () -> PreviousPackage.fetch(root,
        new ReleaseMetadata(m.architectureCompatibility(), m.configHash(), m.dataset(), m.date(), m.docsVersion(), m.gitCommit(),
            m.gitTag(), m.metricsSummary(), other.modelHash(), ReleaseMetadata.Rebuild.local("x", other.modelHash()),
            m.releaseType(), m.tests(), m.tokenizerVersion(), m.tool(), m.trainingSeed(), m.trusted(), m.version()),
        tmp.resolve("mismatch")));
    assertTrue(mismatch.getMessage().contains("model_hash"), mismatch.getMessage());
  }

  @Test
  void theChangelogNamesTheSuiteComparedOnAndEveryFlippedTask() throws Exception {
    ObjectNode summary = (ObjectNode) CanonicalJson.mapper().readTree("{\"quality\":{},\"comparison\":{"
        + "\"previous_version\":\"0.2.1\",\"previous_suite_digest\":\"" + SUITE + "\",\"compared_on_suite_digest\":\"" + GROWN + "\","
        + "\"previous_benchmarked_again\":true,\"pass@1\":{\"previous\":0.5,\"current\":0.75,\"change\":0.25},"
        + "\"flips\":{\"passed_to_failed\":[],\"failed_to_passed\":[\"t2\",\"t9\"]}}}");
    assertEquals(List.of(
        "pass@1: 0.5000 -> 0.7500 (+0.2500 against 0.2.1)",
        "compared on suite " + GROWN + ": 0.2.1 (published with suite " + SUITE + ") was benchmarked again on it",
        "passed -> failed against 0.2.1: none",
        "failed -> passed against 0.2.1: 2 task(s): t2, t9"), MetricsSummary.changelogLines(summary));
  }
}
