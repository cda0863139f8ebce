package io.m31r.release.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.git.GitHead;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.preflight.TestSummary;
import io.m31r.release.version.Semver;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * What the stages established about one release, named, from which its metadata.json follows:
 * export and reproduce both build one, so that neither passes the seventeen fields by position.
 *
 * @param toolVersion the version of this tool that made the release (reproduce: the recorded one)
 * @param head the released commit
 * @param summary the metrics summary (see MetricsSummary)
 */
record ReleaseFacts(
    Semver version,
    ReleaseType type,
    String toolVersion,
    GitHead head,
    FrozenArtifacts frozen,
    TestSummary tests,
    ObjectNode summary,
    ReleaseMetadata.Rebuild rebuild) {

  ReleaseMetadata metadata(ReleaseSettings s) {
    return metadata(s, true);
  }

  /** @param manifestDigest false to leave out dataset.manifest_sha256 (reproducing a release made without it) */
  ReleaseMetadata metadata(ReleaseSettings s, boolean manifestDigest) {
    return new ReleaseMetadata(
        s.architectureCompatibility(),
        frozen.configSha256(),
        new ReleaseMetadata.Dataset(
            frozen.dataset().rootSha256(), frozen.dataset().shardCount(), frozen.dataset().totalBytes(), frozen.datasetUri(),
            manifestDigest ? DatasetManifestSidecar.digest(frozen.dataset().sha256sumListing()) : null),
        releaseDate(head.commitTime()),
        s.docsVersion(),
        head.commit(),
        "v" + version,
        summary,
        frozen.modelSha256(),
        rebuild,
        type,
        new ReleaseMetadata.Tests(tests.tests(), tests.failures(), tests.errors(), tests.skipped(), tests.reports()),
        frozen.tokenizerSha256(),
        new ReleaseMetadata.Tool("m31r-release", toolVersion),
        frozen.trainingSeed(),
        type.trusted(),
        version);
  }

  /** The commit's time, or SOURCE_DATE_EPOCH when set (reproducible-builds convention); never the clock. */
  static String releaseDate(Instant commitTime) {
    String epoch = System.getenv("SOURCE_DATE_EPOCH");
    Instant t = epoch == null || epoch.isBlank() ? commitTime : Instant.ofEpochSecond(Long.parseLong(epoch.trim()));
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
  }
}
