package io.m31r.release.preflight;

import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ConflictException;
import io.m31r.release.version.Semver;
import java.util.Collection;
import java.util.Objects;

/** Version rules (section 5): pre-releases only for experiments, and versions only ever go up. */
public final class VersionRules {
  private VersionRules() {}

  /**
   * @param published every version already published in the same version line; a release directory
   *     is immutable, so the candidate must be new and greater than all of them
   */
  public static void check(Semver candidate, ReleaseType type, Collection<Semver> published) {
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(published, "published");
    if (candidate.isPreRelease() && !type.allowsPreRelease()) {
      throw new BadInputException(
          "version " + candidate + ": a pre-release suffix is only allowed for type D (experimental) releases, not type "
              + type);
    }
    Semver highest = null;
    for (Semver v : published) {
      if (v.equals(candidate)) {
        throw new ConflictException("version " + candidate + " already published");
      }
      if (highest == null || v.compareTo(highest) > 0) {
        highest = v;
      }
    }
    if (highest != null && candidate.compareTo(highest) <= 0) {
      throw new ConflictException(
          "version " + candidate + " is not greater than the highest published version " + highest
              + "; versions only go up");
    }
  }
}
