package io.m31r.release.registry;

import io.m31r.release.storage.ImmutableFileWriter;
import io.m31r.release.storage.WriteOutcome;
import io.m31r.release.version.Semver;
import java.util.Optional;

/**
 * {@code m31r yank}: marks a release withdrawn with its own record and rebuilds the index. The
 * release folder and its publish record are never touched. Withdrawing again with the same reason
 * is a no-op; with another reason a conflict (the first reason stands).
 */
public final class Yank {
  /** What CURRENT said before and after. */
  public record Result(boolean alreadyWithdrawn, Optional<Semver> previousCurrent, Optional<Semver> current) {}

  public Result withdraw(ReleaseRoot root, Semver v, String reason) {
    Withdrawal w = new Withdrawal(v.toString(), reason);
    root.find(v).orElseThrow(() -> root.notARelease(v));
    Optional<Semver> before = root.current();
    WriteOutcome outcome = new ImmutableFileWriter(root.conf()).write(root.withdrawalFile(v), w.bytes());
    new ReleaseIndex().rebuild(root);
    return new Result(outcome == WriteOutcome.ALREADY_IDENTICAL, before, root.current());
  }
}
