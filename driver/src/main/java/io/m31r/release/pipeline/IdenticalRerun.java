package io.m31r.release.pipeline;

import io.m31r.release.failure.ConflictException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.packaging.ReleaseVerifier;
import io.m31r.release.packaging.VerifyReport;
import io.m31r.release.registry.Adoption;
import io.m31r.release.registry.ReleaseLocation;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.version.Semver;
import java.util.ArrayList;
import java.util.List;

/**
 * A rerun that finds its version already published (section 29's retry, issue 10 item 5). Same
 * inputs (model, tokenizer, config and dataset digests, commit, type): the release is this run's
 * own, so whatever the first run did not finish is completed (its publish record, the index and
 * CURRENT; the tag, its push and the report are the pipeline's). Other inputs: exit 5 and nothing
 * changes. The caller holds the export lease, so no live run is half-way through this version.
 */
final class IdenticalRerun {
  static final String MESSAGE = "already released, identical";

  /** The published folder of this version, recorded or not (killed between rename and record). */
  static ReleaseLocation location(ReleaseRoot root, Semver version) {
    return root.find(version).or(() -> root.unrecorded(version)).orElseThrow(() -> new ConflictException(
        "version " + version + " is occupied under " + root.path() + " by something that is not a release folder"
            + " (an interrupted upload whose lease is still live, or a stray marker); publish a new version"));
  }

  /** The published metadata, refused with exit 5 unless its inputs are this run's. */
  static ReleaseMetadata requireIdentical(
      ReleaseRoot root, ReleaseLocation location, FrozenArtifacts frozen, String commit, ReleaseType type) {
    ReleaseMetadata m = root.metadata(location);
    List<String> diffs = new ArrayList<>();
    differ(diffs, "model", m.modelHash(), frozen.modelSha256());
    differ(diffs, "tokenizer", m.tokenizerVersion(), frozen.tokenizerSha256());
    differ(diffs, "config", m.configHash(), frozen.configSha256());
    differ(diffs, "dataset", m.datasetVersion(), frozen.dataset().rootSha256());
    differ(diffs, "commit", m.gitCommit(), commit);
    differ(diffs, "type", m.releaseType().name(), type.name());
    if (!diffs.isEmpty()) {
      throw new ConflictException("version " + m.version() + " is already released with other inputs ("
          + String.join("; ", diffs) + "); releases are immutable, nothing was changed: publish a new version");
    }
    return m;
  }

  /** Verifies the folder, writes its publish record if the first run died before it. */
  static void completeRecord(ReleaseRoot root, Semver version, ReleaseLocation location) {
    VerifyReport report = new ReleaseVerifier().verify(location.dir(), root.conf());
    if (!report.ok()) {
      throw new IntegrityException("published " + location.dir() + " no longer verifies: " + String.join("; ", report.problems()));
    }
    new Adoption().adopt(root, version);
  }

  private static void differ(List<String> out, String what, String published, String now) {
    if (!published.equals(now)) {
      out.add(what + " " + shortId(published) + " published, " + shortId(now) + " now");
    }
  }

  private static String shortId(String s) {
    return s.length() > 12 ? s.substring(0, 12) : s;
  }
}
