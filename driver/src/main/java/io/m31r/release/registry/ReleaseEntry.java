package io.m31r.release.registry;

import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.version.Semver;
import java.util.Objects;

/**
 * One committed release as the registry lists it, read from its own {@code metadata.json} and
 * {@code checksum.txt}.
 *
 * @param path the release directory relative to the root ({@code 1.2.0}, {@code experiments/0.3.0})
 * @param signatureSha256 SHA-256 of {@code signatures/<version>.sig}, or null for an unsigned release
 */
public record ReleaseEntry(
    String version,
    String path,
    boolean experimental,
    ReleaseType type,
    String date,
    boolean trusted,
    String modelHash,
    String checksumSha256,
    String signatureSha256) {
  /** An entry without signature (releases published before signing, and callers that do not sign). */
  public ReleaseEntry(String version, String path, boolean experimental, ReleaseType type, String date, boolean trusted,
      String modelHash, String checksumSha256) {
    this(version, path, experimental, type, date, trusted, modelHash, checksumSha256, null);
  }

  public ReleaseEntry {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
  }

  public Semver semver() {
    return Semver.parse(version);
  }

  /** Only committed type A releases outside experiments may ever be current. */
  public boolean canBeCurrent() {
    return type == ReleaseType.A && !experimental;
  }
}
