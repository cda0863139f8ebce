package io.m31r.release.git;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The commit a release is built from. {@code branch} is the short branch name, or {@code HEAD} when
 * the head is detached (as {@code git rev-parse --abbrev-ref HEAD} prints it).
 */
public record GitHead(String commit, Instant commitTime, String branch) {
  private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-f]{40}");

  public GitHead {
    if (commit == null || !COMMIT_ID.matcher(commit).matches()) {
      throw new IllegalArgumentException("commit: expected 40 lowercase hex digits, got " + commit);
    }
    Objects.requireNonNull(commitTime, "commitTime");
    if (branch == null || branch.isBlank()) {
      throw new IllegalArgumentException("branch: missing");
    }
  }
}
