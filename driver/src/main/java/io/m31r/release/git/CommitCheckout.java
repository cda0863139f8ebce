package io.m31r.release.git;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A clean checkout of one commit, made with {@code git worktree add --detach} in a folder the caller
 * owns, and removed again on close (the repository's worktree list is left as it was). It holds the
 * commit's tracked files only: nothing uncommitted, nothing ignored, no build output of the user's
 * own work tree. Git itself does the checkout, so its filters and attributes apply as they would
 * for anyone cloning the tag.
 */
public final class CommitCheckout implements AutoCloseable {
  private static final long GIT_TIMEOUT_SECONDS = 600;

  private final Path repository;
  private final Path dir;

  private CommitCheckout(Path repository, Path dir) {
    this.repository = repository;
    this.dir = dir;
  }

  /** Checks out {@code commit} of {@code repository} into {@code dir}, which must not exist. */
  public static CommitCheckout create(Path repository, String commit, Path dir) {
    if (!commit.matches("[0-9a-f]{40}")) {
      throw new IllegalArgumentException("not a full commit id: " + commit);
    }
    git(repository, "worktree", "add", "--detach", "--quiet", dir.toString(), commit);
    return new CommitCheckout(repository, dir);
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    git(repository, "worktree", "remove", "--force", dir.toString());
    git(repository, "worktree", "prune");
  }

  private static String git(Path repository, String... args) {
    List<String> argv = new ArrayList<>(List.of("git", "-C", repository.toString()));
    argv.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new BadInputException("tests gate: cannot run git (needed for a clean checkout of the commit): " + e.getMessage());
    }
    try {
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new InfrastructureException("git " + String.join(" ", args) + ": no answer after " + GIT_TIMEOUT_SECONDS + " s");
      }
      String text = new String(out, StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        throw new InfrastructureException("git " + String.join(" ", args) + " exited " + p.exitValue() + ": " + text);
      }
      return text;
    } catch (IOException e) {
      p.destroyForcibly();
      throw new InfrastructureException("git " + String.join(" ", args) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InfrastructureException("git " + String.join(" ", args) + ": interrupted", e);
    }
  }
}
