package io.m31r.release.git;

import java.util.Objects;
import java.util.regex.Pattern;

/** One commit of a changelog: its abbreviated id and its message read as a Conventional Commit. */
public record ChangelogEntry(String abbreviatedCommit, ConventionalCommit message) {
  private static final Pattern ABBREVIATED = Pattern.compile("[0-9a-f]{7}");

  public ChangelogEntry {
    if (abbreviatedCommit == null || !ABBREVIATED.matcher(abbreviatedCommit).matches()) {
      throw new IllegalArgumentException("abbreviatedCommit: expected 7 lowercase hex digits, got " + abbreviatedCommit);
    }
    Objects.requireNonNull(message, "message");
  }
}
