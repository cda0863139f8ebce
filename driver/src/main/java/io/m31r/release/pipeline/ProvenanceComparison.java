package io.m31r.release.pipeline;

import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.signing.DsseEnvelope;
import io.m31r.release.signing.Provenance;
import io.m31r.release.signing.SignatureFiles;
import io.m31r.release.storage.ImmutableFileWriter;
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

  static ReproducePipeline.Outcome addTo(
      ReproducePipeline.Outcome files, ReleaseRoot root, ReleaseMetadata m, ProvenanceSource source, String builderId) {
    SignatureFiles sidecars = SignatureFiles.under(root.path(), m.version());
    byte[] published = new ImmutableFileWriter(root.conf()).readIfExists(sidecars.provenance());
    if (published == null) {
      return files;
    }
    Provenance ours = source.provenance(Map.of(), m, builderId, "", "");
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
