package io.m31r.release.registry;

import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.version.Semver;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One release as the registry lists it, read from its publish record, its own
 * {@code metadata.json} and {@code checksum.txt}, and its withdrawal if it was yanked.
 *
 * @param path the release directory relative to the root ({@code 1.2.0}, {@code experiments/0.3.0})
 * @param withdrawn the reason given to {@code m31r yank}, empty while the release stands
 * @param sidecars the sidecar digests of its publish record (the signature's among them)
 */
public record ReleaseEntry(
    Semver version,
    String path,
    boolean experimental,
    ReleaseType type,
    String date,
    boolean trusted,
    String modelHash,
    String checksumSha256,
    Optional<String> withdrawn,
    Map<String, String> sidecars) {
  public ReleaseEntry {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(withdrawn, "withdrawn");
    sidecars = Map.copyOf(sidecars);
  }

  /** SHA-256 of {@code signatures/<version>.sig} as its publish record pinned it, or null for an unsigned release. */
  public String signatureSha256() {
    return sidecars.get("signatures/" + version + ".sig");
  }

  /** Only type A releases outside experiments that were not withdrawn may ever be current. */
  public boolean canBeCurrent() {
    return type == ReleaseType.A && !experimental && withdrawn.isEmpty();
  }
}
