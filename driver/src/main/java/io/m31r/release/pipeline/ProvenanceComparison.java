package io.m31r.release.pipeline;

import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.signing.DsseEnvelope;
import io.m31r.release.signing.Provenance;
import io.m31r.release.signing.SignatureFiles;
import io.m31r.release.storage.ImmutableFileWriter;
import io.m31r.release.version.Semver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code reproduce} on a signed release: the published provenance's build definition and builder
 * against the ones the reproduction records. Subjects are the files, compared one by one already;
 * {@code startedOn}/{@code finishedOn} are measurements and excluded by name.
 */
final class ProvenanceComparison {
  private ProvenanceComparison() {}

  static ReproducePipeline.Outcome addTo(ReproducePipeline.Outcome files, ReleaseRoot root, Semver version, ReleaseMetadata m,
      String releaseConfigSha256, FrozenArtifacts frozen, String suiteDigest, String builderId) {
    SignatureFiles sidecars = SignatureFiles.under(root.path(), version);
    byte[] published = new ImmutableFileWriter(root.conf()).readIfExists(sidecars.provenance());
    if (published == null) {
      return files;
    }
    Provenance ours = new Provenance(Map.of(), m.version().toString(), m.releaseType().name(), releaseConfigSha256, frozen.datasetUri(),
        frozen.dataset().rootSha256(), io.m31r.release.hashing.Sha256.hex(frozen.dataset().sha256sumListing()),
        frozen.tokenizerSha256(), frozen.configSha256(), m.gitCommit(), suiteDigest, m.tool().version(), builderId, "", "");
    String name = SignatureFiles.FOLDER + "/" + sidecars.provenance().getName();
    ReproducePipeline.FileResult result;
    try {
      byte[] payload = DsseEnvelope.parse(published, name).payload();
      boolean same = Provenance.repeatablePart(payload).equals(Provenance.repeatablePart(ours.payload()));
      result = new ReproducePipeline.FileResult(name, same,
          same ? "build definition and builder identical (subjects compared as files; times excluded)" : "build definition or builder differs");
    } catch (RuntimeException e) {
      result = new ReproducePipeline.FileResult(name, false, "unreadable: " + e.getMessage());
    }
    List<ReproducePipeline.FileResult> all = new ArrayList<>(files.files());
    all.add(result);
    List<String> excluded = new ArrayList<>(files.excluded());
    excluded.addAll(Provenance.NON_REPEATABLE);
    return new ReproducePipeline.Outcome(files.version(), all, excluded);
  }
}
