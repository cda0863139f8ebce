package io.m31r.release.pipeline;

import io.m31r.release.bench.BenchRun;
import io.m31r.release.config.ReleaseConfig;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.signing.Provenance;
import java.util.Map;

/**
 * What a release's SLSA provenance records beyond its files and {@code metadata.json}: the digest
 * of the release config, the inputs as frozen, and the suite's digest. Export signs a provenance made
 * from it; reproduce makes one the same way and compares.
 */
record ProvenanceSource(String releaseConfigSha256, FrozenArtifacts frozen, String suiteDigest) {

  static ProvenanceSource of(ReleaseConfig config, FrozenArtifacts frozen, BenchRun.Result bench) {
    return new ProvenanceSource(Sha256.hex(CanonicalJson.bytes(config)), frozen, bench.suite().digest());
  }

  Provenance provenance(
      Map<String, String> subjects, ReleaseMetadata m, String builderId, String startedOn, String finishedOn) {
    return new Provenance(subjects, m.version().toString(), m.releaseType().name(), releaseConfigSha256,
        frozen.datasetUri(), frozen.dataset().rootSha256(), Sha256.hex(frozen.dataset().sha256sumListing()),
        frozen.tokenizerSha256(), frozen.configSha256(), m.gitCommit(), suiteDigest, m.tool().version(), builderId,
        startedOn, finishedOn);
  }
}
