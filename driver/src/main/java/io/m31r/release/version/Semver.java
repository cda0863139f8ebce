package io.m31r.release.version;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.m31r.release.failure.BadInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version (semver.org 2.0.0) with its precedence order. Build metadata ({@code +...}) is
 * refused rather than ignored: two releases differing only in build metadata would compare equal
 * yet need two directories, so a release version cannot carry it.
 */
public record Semver(int major, int minor, int patch, List<String> preRelease) implements Comparable<Semver> {
  private static final Pattern FORM =
      Pattern.compile(
          "(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})"
              + "(?:-((?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*))*))?");

  public Semver {
    if (major < 0 || minor < 0 || patch < 0) {
      throw new IllegalArgumentException("negative version component");
    }
    preRelease = List.copyOf(preRelease);
  }

  /** Parses {@code MAJOR.MINOR.PATCH[-PRERELEASE]}; anything else is a bad input naming the text. */
  @JsonCreator
  public static Semver parse(String text) {
    if (text == null) {
      throw new BadInputException("version: missing");
    }
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new BadInputException(
          "version '" + text + "' is not a semantic version MAJOR.MINOR.PATCH[-PRERELEASE] (no leading zeros, no +build)");
    }
    List<String> pre = new ArrayList<>();
    if (m.group(4) != null) {
      pre.addAll(List.of(m.group(4).split("\\.")));
    }
    return new Semver(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), pre);
  }

  public boolean isPreRelease() {
    return !preRelease.isEmpty();
  }

  /** Precedence per semver 2.0.0 section 11: a pre-release sorts before its release. */
  @Override
  public int compareTo(Semver o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    if (c == 0) {
      c = Integer.compare(patch, o.patch);
    }
    if (c != 0) {
      return c;
    }
    if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
      return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
    }
    for (int i = 0; i < Math.min(preRelease.size(), o.preRelease.size()); i++) {
      c = compareIdentifier(preRelease.get(i), o.preRelease.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(preRelease.size(), o.preRelease.size());
  }

  private static int compareIdentifier(String a, String b) {
    boolean na = a.chars().allMatch(Character::isDigit);
    boolean nb = b.chars().allMatch(Character::isDigit);
    if (na && nb) {
      return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
    if (na != nb) {
      return na ? -1 : 1;
    }
    return a.compareTo(b);
  }

  @JsonValue
  @Override
  public String toString() {
    String core = major + "." + minor + "." + patch;
    return preRelease.isEmpty() ? core : core + "-" + String.join(".", preRelease);
  }
}
