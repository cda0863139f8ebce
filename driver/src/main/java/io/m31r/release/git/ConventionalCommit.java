package io.m31r.release.git;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A commit message read as a Conventional Commit ({@code type(scope)!: subject}). A message that
 * does not follow the form keeps its first line verbatim as the subject, with no type.
 *
 * @param type lowercase type ({@code feat}, {@code fix}, ...); empty for a non-conventional message
 * @param scope the scope without parentheses; empty when none
 * @param breaking {@code !} after the type or a {@code BREAKING CHANGE:} footer
 * @param breakingNote the footer's text, empty when the change is marked by {@code !} only
 */
public record ConventionalCommit(
    Optional<String> type, Optional<String> scope, boolean breaking, String subject, Optional<String> breakingNote) {
  private static final Pattern HEADER =
      Pattern.compile("([A-Za-z][A-Za-z0-9-]*)(?:\\(([^()\\s][^()]*)\\))?(!)?: *(\\S.*)");
  private static final Pattern BREAKING_FOOTER = Pattern.compile("BREAKING[ -]CHANGE: *(.*)");
  private static final Pattern FOOTER_TOKEN = Pattern.compile("(?:[A-Za-z][A-Za-z0-9-]*|BREAKING CHANGE)(?:: | #)");

  public ConventionalCommit {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(breakingNote, "breakingNote");
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("subject: missing");
    }
    if (breakingNote.isPresent() && !breaking) {
      throw new IllegalArgumentException("breakingNote without breaking");
    }
  }

  public static ConventionalCommit parse(String message) {
    String[] lines = message.strip().split("\\R", -1);
    String first = lines[0].strip();
    Optional<String> note = Optional.empty();
    for (int i = 1; i < lines.length && note.isEmpty(); i++) {
      Matcher footer = BREAKING_FOOTER.matcher(lines[i].strip());
      if (footer.matches()) {
        note = Optional.of(footerValue(footer.group(1), lines, i + 1));
      }
    }
    if (first.isEmpty()) {
      first = "(empty commit message)";
    }
    Matcher m = HEADER.matcher(first);
    if (!m.matches()) {
      return new ConventionalCommit(Optional.empty(), Optional.empty(), note.isPresent(), first, note);
    }
    boolean breaking = m.group(3) != null || note.isPresent();
    return new ConventionalCommit(
        Optional.of(m.group(1).toLowerCase(Locale.ROOT)),
        Optional.ofNullable(m.group(2)).map(String::strip),
        breaking,
        m.group(4).strip(),
        note);
  }

  /** A footer value runs on over the following lines up to a blank line or the next footer. */
  private static String footerValue(String firstLine, String[] lines, int next) {
    StringBuilder value = new StringBuilder(firstLine.strip());
    for (int i = next; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || FOOTER_TOKEN.matcher(line).lookingAt()) {
        break;
      }
      value.append(value.length() == 0 ? "" : " ").append(line);
    }
    return value.length() == 0 ? "(no description)" : value.toString();
  }

  public boolean isConventional() {
    return type.isPresent();
  }
}
