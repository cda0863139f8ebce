package io.m31r.release.git;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.version.Semver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a release changes since the previous release tag: its commits sorted into breaking changes,
 * features, fixes and other changes, plus the metric changes the caller measured. Rendered as plain
 * text with a fixed layout, so the same history always gives the same bytes.
 */
public final class Changelog {
  private static final String NONE = "- none\n";

  private final Semver version;
  private final Optional<String> previousTag;
  private final List<ChangelogEntry> entries;
  private final List<String> metricChanges;

  Changelog(Semver version, Optional<String> previousTag, List<ChangelogEntry> entries, List<String> metricChanges) {
    this.version = version;
    this.previousTag = previousTag;
    this.entries = List.copyOf(entries);
    this.metricChanges = List.copyOf(metricChanges);
  }

  /**
   * The changelog of {@code version}: commits since {@link GitWorkspace#previousReleaseTag} (all
   * commits on a first release), oldest first, without merge commits. {@code metricChanges} are
   * one-line descriptions kept in the given order.
   */
  public static Changelog since(GitWorkspace workspace, Semver version, List<String> metricChanges) {
    List<String> metrics = validMetricChanges(metricChanges);
    Optional<String> previous = workspace.previousReleaseTag(version);
    List<ChangelogEntry> entries = new ArrayList<>();
    for (CommitMessage c : workspace.commitsSince(previous)) {
      entries.add(new ChangelogEntry(c.abbreviated(), ConventionalCommit.parse(c.message())));
    }
    return new Changelog(version, previous, entries, metrics);
  }

  private static List<String> validMetricChanges(List<String> lines) {
    if (lines == null) {
      throw new BadInputException("changelog metric changes: missing");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line == null || line.isBlank() || line.contains("\n") || line.contains("\r")) {
        throw new BadInputException("changelog metric change #" + (i + 1) + " must be one non-empty line, got '" + line + "'");
      }
      out.add(line.strip());
    }
    return out;
  }

  public String version() {
    return version.toString();
  }

  public Optional<String> previousTag() {
    return previousTag;
  }

  public List<ChangelogEntry> entries() {
    return entries;
  }

  public List<String> metricChanges() {
    return metricChanges;
  }

  /** True when no commit was made since the previous release tag: there is nothing to release. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public void requireNotEmpty() {
    if (isEmpty()) {
      throw new GateFailedException(
          "empty changelog: no commits since " + previousTag.orElse("the start of the history"));
    }
  }

  public String render() {
    StringBuilder out = new StringBuilder();
    out.append('v').append(version).append("\n\n");
    int n = entries.size();
    String commits = n + (n == 1 ? " commit" : " commits");
    out.append(previousTag.map(t -> "Changes since " + t + ": " + commits + ".").orElse("First release: " + commits + "."));
    out.append("\n\n");
    section(out, "Breaking changes", e -> e.message().breaking(), true);
    section(out, "Features", e -> !e.message().breaking() && isType(e, "feat"), false);
    section(out, "Fixes", e -> !e.message().breaking() && isType(e, "fix"), false);
    section(out, "Other changes", e -> !e.message().breaking() && !isType(e, "feat") && !isType(e, "fix"), true);
    out.append("Metric changes\n");
    if (metricChanges.isEmpty()) {
      out.append(NONE);
    }
    metricChanges.forEach(m -> out.append("- ").append(m).append('\n'));
    return out.toString();
  }

  private static boolean isType(ChangelogEntry e, String type) {
    return e.message().type().filter(type::equals).isPresent();
  }

  private void section(StringBuilder out, String title, Predicate<ChangelogEntry> member, boolean showType) {
    out.append(title).append('\n');
    int before = out.length();
    for (ChangelogEntry e : entries) {
      if (member.test(e)) {
        ConventionalCommit m = e.message();
        out.append("- ");
        if (showType) {
          m.type().ifPresent(t -> out.append(t).append(": "));
        }
        m.scope().ifPresent(s -> out.append("**").append(s).append("**: "));
        out.append(m.subject()).append(" (").append(e.abbreviatedCommit()).append(")\n");
        m.breakingNote().ifPresent(note -> out.append("  BREAKING CHANGE: ").append(note).append('\n'));
      }
    }
    if (out.length() == before) {
      out.append(NONE);
    }
    out.append('\n');
  }
}
