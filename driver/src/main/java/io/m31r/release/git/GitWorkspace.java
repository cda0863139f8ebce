package io.m31r.release.git;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.version.Semver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The git repository a release is cut from: its head, whether its work tree is clean, and its
 * release tags. Read-only; {@link ReleaseTagger} is the one place that writes to it.
 */
public final class GitWorkspace implements AutoCloseable {
  static final int MAX_LISTED_CHANGES = 20;

  private final Repository repository;
  private final Path workTree;

  private GitWorkspace(Repository repository) {
    this.repository = repository;
    this.workTree = repository.getWorkTree().toPath();
  }

  /**
   * Opens the repository whose work tree contains {@code dir}, searching upwards as {@code git}
   * does. Environment variables such as {@code GIT_DIR} are deliberately not read.
   */
  public static GitWorkspace open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BadInputException("not a git repository: " + dir + " (no such directory)");
    }
    FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true);
    builder.findGitDir(dir.toAbsolutePath().toFile());
    if (builder.getGitDir() == null) {
      throw new BadInputException("not a git repository: " + dir);
    }
    Repository repository;
    try {
      repository = builder.build();
    } catch (IOException | IllegalArgumentException e) {
      throw new BadInputException("not a git repository: " + dir + " (" + e.getMessage() + ")", e);
    }
    if (repository.isBare()) {
      repository.close();
      throw new BadInputException("not a git work tree: " + dir + " is a bare repository");
    }
    return new GitWorkspace(repository);
  }

  public Path workTree() {
    return workTree;
  }

  Repository repository() {
    return repository;
  }

  /** The checked-out commit; a repository without any commit cannot be released. */
  public GitHead head() {
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit commit = walk.parseCommit(requireHeadId());
      Ref head = repository.exactRef(Constants.HEAD);
      String branch = "HEAD";
      if (head != null && head.isSymbolic() && head.getTarget().getName().startsWith(Constants.R_HEADS)) {
        branch = head.getTarget().getName().substring(Constants.R_HEADS.length());
      }
      return new GitHead(commit.name(), commit.getCommitterIdent().getWhenAsInstant(), branch);
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  /** The committer time of a commit given by its full id; a missing commit is a bad input. */
  public java.time.Instant commitTime(String commitId) {
    try (RevWalk walk = new RevWalk(repository)) {
      ObjectId id = ObjectId.fromString(commitId);
      return walk.parseCommit(id).getCommitterIdent().getWhenAsInstant();
    } catch (IllegalArgumentException | org.eclipse.jgit.errors.MissingObjectException e) {
      throw new BadInputException("commit " + commitId + " is not in the repository " + workTree());
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  /**
   * Refuses a work tree with staged or unstaged changes, conflicts or untracked files: the release
   * records the head commit, so anything not in it would be an unrecorded input. Ignored files are
   * fine (build outputs, checkpoints).
   */
  public void requireClean() {
    Status status;
    try (Git git = new Git(repository)) {
      status = git.status().call();
    } catch (GitAPIException | JGitInternalException e) {
      throw new InfrastructureException("cannot read the git status of " + workTree + ": " + e.getMessage(), e);
    }
    Map<String, String> changes = new TreeMap<>();
    // Later puts win, so the most telling code for a path is put last.
    status.getUntracked().forEach(p -> changes.put(p, "??"));
    status.getModified().forEach(p -> changes.put(p, "M"));
    status.getChanged().forEach(p -> changes.put(p, "M"));
    status.getMissing().forEach(p -> changes.put(p, "D"));
    status.getRemoved().forEach(p -> changes.put(p, "D"));
    status.getAdded().forEach(p -> changes.put(p, "A"));
    status.getConflicting().forEach(p -> changes.put(p, "U"));
    if (changes.isEmpty()) {
      return;
    }
    List<String> listed = new ArrayList<>();
    for (Map.Entry<String, String> e : changes.entrySet()) {
      if (listed.size() == MAX_LISTED_CHANGES) {
        break;
      }
      listed.add(e.getValue() + " " + e.getKey());
    }
    String more = changes.size() > MAX_LISTED_CHANGES ? ", and " + (changes.size() - MAX_LISTED_CHANGES) + " more" : "";
    throw new GateFailedException(
        "git work tree " + workTree + " is not clean (" + changes.size() + " uncommitted or untracked): "
            + String.join(", ", listed) + more);
  }

  public boolean tagExists(String name) {
    return tagRef(name).isPresent();
  }

  /** The id of the object the tag finally points to once annotated tags are peeled (a commit in practice). */
  public Optional<String> tagTarget(String name) {
    Optional<Ref> ref = tagRef(name);
    if (ref.isEmpty()) {
      return Optional.empty();
    }
    try (RevWalk walk = new RevWalk(repository)) {
      return Optional.of(walk.peel(walk.parseAny(ref.get().getObjectId())).name());
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  /** The full message of an annotated tag; empty for a lightweight or missing tag. */
  public Optional<String> tagMessage(String name) {
    Optional<Ref> ref = tagRef(name);
    if (ref.isEmpty()) {
      return Optional.empty();
    }
    try (RevWalk walk = new RevWalk(repository)) {
      RevObject object = walk.parseAny(ref.get().getObjectId());
      return object instanceof org.eclipse.jgit.revwalk.RevTag tag ? Optional.of(tag.getFullMessage()) : Optional.empty();
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  /**
   * The newest {@code v<semver>} tag lower than {@code versionBeingReleased} whose commit is an
   * ancestor of HEAD. Tags on other lines of history are skipped: their changes are not what this
   * release adds to.
   */
  public Optional<String> previousReleaseTag(Semver versionBeingReleased) {
    ObjectId headId = requireHeadId();
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit head = walk.parseCommit(headId);
      String best = null;
      Semver bestVersion = null;
      for (Ref ref : repository.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
        String name = ref.getName().substring(Constants.R_TAGS.length());
        Optional<Semver> version = releaseVersion(name);
        if (version.isEmpty() || version.get().compareTo(versionBeingReleased) >= 0) {
          continue;
        }
        if (bestVersion != null && version.get().compareTo(bestVersion) <= 0) {
          continue;
        }
        RevObject target = walk.peel(walk.parseAny(ref.getObjectId()));
        if (target instanceof RevCommit commit && walk.isMergedInto(commit, head)) {
          best = name;
          bestVersion = version.get();
        }
      }
      return Optional.ofNullable(best);
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  /**
   * Commits reachable from HEAD but not from {@code sinceTag} (all of them without one), oldest
   * first. Merge commits are left out: the commits they bring in are listed themselves.
   */
  List<CommitMessage> commitsSince(Optional<String> sinceTag) {
    ObjectId headId = requireHeadId();
    try (RevWalk walk = new RevWalk(repository)) {
      walk.markStart(walk.parseCommit(headId));
      if (sinceTag.isPresent()) {
        Ref ref = tagRef(sinceTag.get())
            .orElseThrow(() -> new BadInputException("tag " + sinceTag.get() + " does not exist in " + workTree));
        RevObject target = walk.peel(walk.parseAny(ref.getObjectId()));
        if (!(target instanceof RevCommit commit)) {
          throw new BadInputException("tag " + sinceTag.get() + " does not point to a commit");
        }
        walk.markUninteresting(commit);
      }
      walk.setRevFilter(RevFilter.NO_MERGES);
      walk.sort(RevSort.TOPO);
      walk.sort(RevSort.REVERSE, true);
      List<CommitMessage> out = new ArrayList<>();
      for (RevCommit c : walk) {
        out.add(new CommitMessage(c.name(), c.getFullMessage()));
      }
      return out;
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  Optional<Ref> tagRef(String name) {
    String refName = tagRefName(name);
    try {
      return Optional.ofNullable(repository.exactRef(refName));
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  static String tagRefName(String name) {
    if (name == null || name.isEmpty() || !Repository.isValidRefName(Constants.R_TAGS + name)) {
      throw new BadInputException("invalid git tag name '" + name + "'");
    }
    return Constants.R_TAGS + name;
  }

  ObjectId requireHeadId() {
    try {
      ObjectId id = repository.resolve(Constants.HEAD);
      if (id == null) {
        throw new BadInputException("git repository " + workTree + " has no commit yet");
      }
      return id;
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  InfrastructureException unreadable(IOException e) {
    return new InfrastructureException("cannot read git repository " + workTree + ": " + e.getMessage(), e);
  }

  /** The id of the tag ref itself (the tag object for an annotated tag). */
  public Optional<String> tagObjectId(String name) {
    return tagRef(name).map(r -> r.getObjectId().name());
  }

  /**
   * Deletes the tag only while it still holds {@code objectId}, the tag object this run created:
   * a tag someone else made or moved meanwhile is left alone. Used when a publish fails after
   * tagging, so no tag outlives a release that never happened; such a tag was never pushed.
   */
  public boolean deleteOwnTag(String name, String objectId) {
    try {
      org.eclipse.jgit.lib.RefUpdate u = repository.updateRef(tagRefName(name));
      u.setExpectedOldObjectId(ObjectId.fromString(objectId));
      u.setForceUpdate(true);
      org.eclipse.jgit.lib.RefUpdate.Result r = u.delete();
      return switch (r) {
        case FORCED, FAST_FORWARD, NEW, NO_CHANGE -> true;
        case LOCK_FAILURE, IO_FAILURE, REJECTED, REJECTED_OTHER_REASON, REJECTED_MISSING_OBJECT, REJECTED_CURRENT_BRANCH,
            NOT_ATTEMPTED, RENAMED -> false;
      };
    } catch (IOException e) {
      return false;
    }
  }

  /** Every {@code v<semver>} tag, by version precedence. */
  public List<String> releaseTags() {
    try {
      return repository.getRefDatabase().getRefsByPrefix(Constants.R_TAGS).stream()
          .map(r -> r.getName().substring(Constants.R_TAGS.length()))
          .filter(n -> releaseVersion(n).isPresent())
          .sorted(java.util.Comparator.comparing(n -> releaseVersion(n).orElseThrow()))
          .toList();
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  private static Optional<Semver> releaseVersion(String tagName) {
    if (!tagName.startsWith("v")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Semver.parse(tagName.substring(1)));
    } catch (BadInputException notAReleaseTag) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    repository.close();
  }
}
