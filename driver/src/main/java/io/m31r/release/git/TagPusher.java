package io.m31r.release.git;

import io.m31r.release.failure.ConflictException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.OutcomeUnknownException;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * Pushes exactly one tag, never forced and never a branch, after the release is published. A
 * failed push leaves the release published; the rerun of the same export pushes it then.
 */
public final class TagPusher {
  /** What the push did. */
  public enum Outcome { PUSHED, ALREADY_THERE }

  public Outcome push(GitWorkspace git, RemoteAccess remote, String tag) {
    String ours = git.tagObjectId(tag)
        .orElseThrow(() -> new InfrastructureException("tag " + tag + " does not exist locally; nothing to push"));
    Optional<Ref> there = RemoteTagCheck.remoteTag(remote, tag);
    if (there.isPresent()) {
      if (there.get().getObjectId().name().equals(ours)) {
        return Outcome.ALREADY_THERE;
      }
      throw new ConflictException("tag " + tag + " on " + remote.url() + " is another tag object ("
          + there.get().getObjectId().name() + ", ours " + ours + "); it was left untouched, the release is published");
    }
    String ref = GitWorkspace.tagRefName(tag);
    Iterable<PushResult> results;
    try {
      results = remote.configure(Git.wrap(git.repository()).push()
          .setRemote(remote.url())
          .setRefSpecs(new RefSpec(ref + ":" + ref))
          .setForce(false)
          .setAtomic(false), RemoteTagCheck.TIMEOUT_SECONDS)
          .call();
    } catch (GitAPIException | RuntimeException e) {
      if (e instanceof io.m31r.release.failure.ReleaseException re) {
        throw re;
      }
      throw remote.failure("pushing " + tag + " to " + remote.url() + " failed", e);
    }
    for (PushResult r : results) {
      RemoteRefUpdate u = r.getRemoteUpdate(ref);
      if (u != null) {
        return settle(u, tag, remote);
      }
    }
    throw new OutcomeUnknownException("pushing " + tag + " to " + remote.url() + " reported nothing about " + ref);
  }

  private static Outcome settle(RemoteRefUpdate u, String tag, RemoteAccess remote) {
    // A switch expression, so that a Status added by a later JGit fails the build.
    return switch (u.getStatus()) {
      case OK -> Outcome.PUSHED;
      case UP_TO_DATE -> Outcome.ALREADY_THERE;
      case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED, REJECTED_NODELETE -> throw new ConflictException(
          "tag " + tag + " was refused by " + remote.url() + " (" + u.getStatus() + "): it exists there already; never forced");
      case REJECTED_OTHER_REASON -> throw new InfrastructureException(
          "tag " + tag + " was refused by " + remote.url() + ": " + u.getMessage());
      case NON_EXISTING, NOT_ATTEMPTED, AWAITING_REPORT -> throw new OutcomeUnknownException(
          "pushing " + tag + " to " + remote.url() + " ended with " + u.getStatus() + "; re-check the remote before retrying");
    };
  }
}
