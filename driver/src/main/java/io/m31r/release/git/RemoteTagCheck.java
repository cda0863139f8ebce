package io.m31r.release.git;

import io.m31r.release.failure.ConflictException;
import java.util.Collection;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Ref;

/**
 * Is the release tag free on {@code release.git_remote}? One ls-remote, nothing written. Export's
 * preflight calls it before any heavy work, and so can {@code export --dry-run}.
 */
public final class RemoteTagCheck {
  /** What the remote holds under the tag's name. */
  public enum State {
    /** No such tag: the push after publish will create it. */
    FREE,
    /** A tag of that name on the very commit being released (an earlier run of this export pushed it). */
    ON_THIS_COMMIT
  }

  /** Timeout of one remote operation, seconds: a reachable remote answers well within it. */
  static final int TIMEOUT_SECONDS = 30;

  /**
   * Unreachable remote: exit 1 (a retry may reach it); an SSH host key not vouched for: exit 2. A tag with another target: exit 5, as a
   * tag is never moved.
   */
  public State check(RemoteAccess remote, String tag, String commit) {
    Optional<Ref> ref = remoteTag(remote, tag);
    if (ref.isEmpty()) {
      return State.FREE;
    }
    String target = ref.get().getPeeledObjectId() != null ? ref.get().getPeeledObjectId().name() : ref.get().getObjectId().name();
    if (!target.equals(commit)) {
      throw new ConflictException("tag " + tag + " already exists on " + remote.url() + " and points to " + target
          + ", not " + commit + "; tags are never moved");
    }
    return State.ON_THIS_COMMIT;
  }

  /** The remote's ref {@code refs/tags/<tag>}, peeled where the server says what it points to. */
  static Optional<Ref> remoteTag(RemoteAccess remote, String tag) {
    String name = GitWorkspace.tagRefName(tag);
    Collection<Ref> refs;
    try {
      refs = remote.configure(Git.lsRemoteRepository().setRemote(remote.url()).setTags(true).setHeads(false), TIMEOUT_SECONDS)
          .call();
    } catch (GitAPIException | RuntimeException e) {
      if (e instanceof io.m31r.release.failure.ReleaseException re) {
        throw re;
      }
      throw remote.failure("git remote " + remote.url() + " is not reachable", e);
    }
    return refs.stream().filter(r -> r.getName().equals(name)).findFirst();
  }
}
