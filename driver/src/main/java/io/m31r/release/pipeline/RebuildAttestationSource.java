package io.m31r.release.pipeline;

import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.signing.TrustedKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code release.rebuild_attestation} and {@code release.rebuild_trusted_keys} resolved against
 * release.yaml's folder: the record file (which must exist) and the keys it must be signed by, read
 * once before any heavy work.
 *
 * @param keys empty when no trusted keys are configured: then a record can support type D only
 */
record RebuildAttestationSource(Path record, Optional<TrustedKeys> keys) {

  static Optional<RebuildAttestationSource> resolve(ReleaseSettings s, Path baseDir) {
    if (s.rebuildAttestation() == null) {
      return Optional.empty();
    }
    Path record = baseDir.resolve(s.rebuildAttestation()).toAbsolutePath().normalize();
    if (!Files.isRegularFile(record)) {
      throw new BadInputException("config release.rebuild_attestation: no file at " + record);
    }
    Optional<TrustedKeys> keys = Optional.ofNullable(s.rebuildTrustedKeys())
        .map(k -> TrustedKeys.file(baseDir.resolve(k).toAbsolutePath().normalize()));
    return Optional.of(new RebuildAttestationSource(record, keys));
  }
}
