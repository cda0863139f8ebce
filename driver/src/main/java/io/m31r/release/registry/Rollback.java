package io.m31r.release.registry;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.packaging.ReleaseVerifier;
import io.m31r.release.packaging.VerifyReport;
import io.m31r.release.version.Semver;
import java.util.Optional;

/**
 * Points CURRENT back at an earlier release. Only CURRENT (and the pin behind it) changes: every
 * release stays where it is, byte for byte.
 */
public final class Rollback {
  /** What CURRENT said before, if anything, and what it says now. */
  public record Result(Optional<Semver> previous, Semver current) {}

  public Result to(ReleaseRoot root, Semver v) {
    String version = v.toString();
    ReleaseLocation location = root.find(v).orElseThrow(() -> root.notARelease(v));
    Optional<Withdrawal> withdrawn = root.withdrawal(v);
    if (withdrawn.isPresent()) {
      throw new BadInputException(
          "release " + version + " was withdrawn (" + withdrawn.get().reason() + "); rollback refuses it, CURRENT unchanged");
    }
    if (location.experimental()) {
      throw new BadInputException("release " + version + " is an experiment (type D); it can never be current");
    }
    VerifyReport report = new ReleaseVerifier().verify(location.dir(), root.conf());
    if (!report.ok()) {
      throw new IntegrityException(
          "release " + version + " at " + location.dir() + " failed verification, CURRENT unchanged: "
              + String.join("; ", report.problems()));
    }
    ReleaseMetadata m = root.metadata(location);
    if (m.releaseType() != ReleaseType.A) {
      throw new BadInputException(
          "release " + version + " is type " + m.releaseType() + "; only a type A (model) release can be current");
    }
    Optional<Semver> previous = root.current();
    new ReleaseIndex().pinCurrent(root, v);
    return new Result(previous, v);
  }
}
