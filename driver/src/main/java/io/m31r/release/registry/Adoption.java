package io.m31r.release.registry;

import io.m31r.release.failure.ConflictException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.packaging.ReleaseVerifier;
import io.m31r.release.packaging.VerifyReport;
import io.m31r.release.version.Semver;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Writes the publish record of a release folder that is already in place. Two callers, both
 * explicit: {@code m31r adopt} (releases published before records existed; an operator vouches for
 * the folder) and an export rerun that finds its own folder published but unrecorded (killed
 * between the rename and the record) and has just proven the inputs identical. The folder must
 * verify; on object stores a legacy folder must also carry the old commit marker naming its
 * {@code checksum.txt}, because an upload without one was never complete.
 */
public final class Adoption {
  public PublishRecord adopt(ReleaseRoot root, Semver v) {
    Optional<PublishRecord> existing = root.record(v);
    if (existing.isPresent()) {
      root.find(v);
      return existing.get();
    }
    ReleaseLocation location = root.unrecorded(v)
        .orElseThrow(() -> root.notARelease(v));
    VerifyReport report = new ReleaseVerifier().verify(location.dir(), root.conf());
    if (!report.ok()) {
      throw new IntegrityException(
          location.dir() + " does not verify, not adopted: " + String.join("; ", report.problems()));
    }
    String checksum = root.checksumSha256(location);
    if (root.usesCommitMarkers()) {
      String marker = new ControlFiles(root.conf()).read(root.commitMarker(v))
          .map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
      if (!marker.equals(checksum + "\n")) {
        throw new IntegrityException(
            location.dir() + " has no commit marker naming its checksum.txt: an interrupted upload, never a release");
      }
    }
    ReleaseMetadata m = root.metadata(location);
    if (!m.version().equals(v) || (m.releaseType() == ReleaseType.D) != location.experimental()) {
      throw new IntegrityException(location.dir() + ": metadata.json does not match its place");
    }
    PublishRecord record = new PublishRecord(
        v, m.releaseType(), location.experimental(), checksum, m.date(), Sidecars.present(root, v));
    try {
      ReleasePublisher.writeRecord(root, record);
    } catch (ConflictException e) {
      throw new ConflictException("a different publish record for " + v + " appeared concurrently; it was left untouched", e);
    }
    return record;
  }
}
