package io.m31r.release.git;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ConflictException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.OutcomeUnknownException;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Creates the annotated release tag, signed when a signer is given (release.tag_signing). Tags are immutable: an existing tag is never moved,
 * forced or deleted, whatever it points to. The tagger is always passed in, since build machines
 * have no git identity and the user's configuration is not consulted.
 */
public final class ReleaseTagger {
  private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-f]{40}");

  /**
   * Creates {@code refs/tags/<tagName>} as an annotated tag of {@code commit}. An existing tag is a
   * conflict; a ref update whose result cannot be established re-reads the tag and accepts it only
   * when it is the tag this call wrote (same target and message).
   */
  public void tag(GitWorkspace workspace, String tagName, String commit, String message, PersonIdent tagger) {
    tag(workspace, tagName, commit, message, tagger, java.util.Optional.empty());
  }

  /**
   * As above, the tag signed by {@code signer} when present: it receives the tag object's bytes
   * and returns the armored signature git appends to the message.
   */
  public void tag(GitWorkspace workspace, String tagName, String commit, String message, PersonIdent tagger,
      java.util.Optional<java.util.function.Function<byte[], String>> signer) {
    String refName = GitWorkspace.tagRefName(tagName);
    if (commit == null || !COMMIT_ID.matcher(commit).matches()) {
      throw new BadInputException("tag " + tagName + ": commit must be 40 lowercase hex digits, got '" + commit + "'");
    }
    if (message == null || message.isBlank()) {
      throw new BadInputException("tag " + tagName + ": message missing");
    }
    if (tagger == null) {
      throw new BadInputException("tag " + tagName + ": tagger identity missing");
    }
    String fullMessage = message.endsWith("\n") ? message : message + "\n";
    Repository repository = workspace.repository();
    ObjectId target = requireCommit(workspace, tagName, commit);
    Optional<Ref> existing = workspace.tagRef(tagName);
    if (existing.isPresent()) {
      throw conflict(workspace, tagName, existing.get());
    }

    TagBuilder builder = new TagBuilder();
    builder.setTag(tagName);
    builder.setObjectId(target, Constants.OBJ_COMMIT);
    builder.setTagger(tagger);
    builder.setMessage(fullMessage);
    if (signer.isPresent()) {
      try {
        builder.setGpgSignature(new org.eclipse.jgit.lib.GpgSignature(
            signer.get().apply(builder.build()).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      } catch (java.io.UnsupportedEncodingException e) {
        throw new InfrastructureException("tag " + tagName + ": cannot encode the tag object: " + e.getMessage(), e);
      }
    }
    ObjectId tagObject;
    try (ObjectInserter inserter = repository.newObjectInserter()) {
      tagObject = inserter.insert(builder);
      inserter.flush();
    } catch (IOException e) {
      throw new InfrastructureException("tag " + tagName + ": cannot write the tag object: " + e.getMessage(), e);
    }

    RefUpdate.Result result;
    try {
      RefUpdate update = repository.updateRef(refName);
      update.setNewObjectId(tagObject);
      update.setExpectedOldObjectId(ObjectId.zeroId());
      update.setForceUpdate(false);
      update.setRefLogIdent(tagger);
      update.setRefLogMessage("tagged " + tagName, false);
      result = update.update();
    } catch (IOException e) {
      settle(workspace, tagName, target, fullMessage, "the ref update failed: " + e.getMessage());
      return;
    }
    // A switch expression, so that a Result constant added by a later JGit fails the build.
    Next next = switch (result) {
      case NEW -> Next.DONE;
      // NO_CHANGE: an identical tag object already sat there, written by a concurrent attempt.
      case NO_CHANGE, LOCK_FAILURE, IO_FAILURE -> Next.SETTLE;
      case REJECTED, REJECTED_OTHER_REASON -> Next.REJECTED;
      case REJECTED_MISSING_OBJECT -> Next.MISSING_OBJECT;
      // None of these can answer a create with an expected old id of zero and no force.
      case FORCED, FAST_FORWARD, RENAMED, REJECTED_CURRENT_BRANCH, NOT_ATTEMPTED -> Next.UNEXPECTED;
    };
    switch (next) {
      case DONE -> { }
      case SETTLE -> settle(workspace, tagName, target, fullMessage, "the ref update ended with " + result);
      case REJECTED -> {
        Optional<Ref> now = workspace.tagRef(tagName);
        throw now.isPresent()
            ? conflict(workspace, tagName, now.get())
            : new InfrastructureException("tag " + tagName + ": git refused to create " + refName + " (" + result + ")");
      }
      case MISSING_OBJECT -> throw new InfrastructureException(
          "tag " + tagName + ": the tag object " + tagObject.name() + " was not found after writing it");
      case UNEXPECTED -> throw new InfrastructureException(
          "tag " + tagName + ": unexpected ref update result " + result + " for " + refName + "; inspect it with git show-ref");
    }
  }

  private enum Next { DONE, SETTLE, REJECTED, MISSING_OBJECT, UNEXPECTED }

  /**
   * After an update whose outcome is unknown: returns when the tag now there is ours (same target
   * and message); a different tag means another writer won; no tag means it may still appear.
   */
  private static void settle(GitWorkspace workspace, String tagName, ObjectId target, String message, String why) {
    Optional<Ref> now;
    try {
      now = workspace.tagRef(tagName);
    } catch (InfrastructureException e) {
      throw new OutcomeUnknownException("tag " + tagName + ": " + why + ", and it cannot be re-read: " + e.getMessage(), e);
    }
    if (now.isEmpty()) {
      throw new OutcomeUnknownException(
          "tag " + tagName + ": " + why + "; the tag does not exist now but may still be created; re-read it before retrying");
    }
    if (!isOurs(workspace, now.get(), tagName, target, message)) {
      throw conflict(workspace, tagName, now.get());
    }
  }

  private static boolean isOurs(GitWorkspace workspace, Ref ref, String tagName, ObjectId target, String message) {
    try (RevWalk walk = new RevWalk(workspace.repository())) {
      RevObject object = walk.parseAny(ref.getObjectId());
      if (!(object instanceof RevTag tag)) {
        return false;
      }
      walk.parseBody(tag);
      return tag.getTagName().equals(tagName) && tag.getObject().equals(target) && tag.getFullMessage().equals(message);
    } catch (IOException e) {
      return false;
    }
  }

  private static ObjectId requireCommit(GitWorkspace workspace, String tagName, String commit) {
    try (RevWalk walk = new RevWalk(workspace.repository())) {
      return walk.parseCommit(ObjectId.fromString(commit)).copy();
    } catch (MissingObjectException e) {
      throw new BadInputException("tag " + tagName + ": commit " + commit + " does not exist in " + workspace.workTree());
    } catch (IncorrectObjectTypeException e) {
      throw new BadInputException("tag " + tagName + ": " + commit + " is not a commit");
    } catch (IOException e) {
      throw workspace.unreadable(e);
    }
  }

  private static ConflictException conflict(GitWorkspace workspace, String tagName, Ref ref) {
    String points = workspace.tagTarget(tagName).orElse(ref.getObjectId().name());
    return new ConflictException("tag " + tagName + " already exists and points to " + points + "; tags are never moved");
  }
}
