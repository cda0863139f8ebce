package io.m31r.release.preflight;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.GateFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * No remote calls (section 25): release inputs are read from local or cluster storage (file:, hdfs:,
 * s3a:), never fetched over http(s), and the shipped config must not point at remote resources.
 */
public final class UrlCheck {
  private static final Pattern HTTP_INPUT = Pattern.compile("(?i)^\\s*https?://.*", Pattern.DOTALL);
  private static final Pattern HTTP_IN_TEXT = Pattern.compile("(?i)\\bhttps?://[^\\s\"'<>]*");
  private static final Pattern ORIGIN = Pattern.compile("(?i)^\\s*(https?)://(?:[^/@?#]*@)?([^/?#:]*)");

  private UrlCheck() {}

  /**
   * @param inputs release-config field name (for example {@code checkpoint}, {@code test_reports})
   *     to the path or URI it gives; checked in field-name order so the message is stable
   */
  public static void requireNoRemoteInputs(Map<String, String> inputs) {
    Objects.requireNonNull(inputs, "inputs");
    for (Map.Entry<String, String> e : new TreeMap<>(inputs).entrySet()) {
      String value = e.getValue();
      if (value != null && HTTP_INPUT.matcher(value).matches()) {
        throw new BadInputException(
            "release config " + e.getKey() + ": " + origin(value)
                + " is an http(s) URL; release inputs must be local or cluster storage (file:, hdfs:, s3a:), no remote calls");
      }
    }
  }

  /** Fails the gate if the text of a config file (comments included) holds any http(s) URL. */
  public static void requireNoUrlsInConfig(String sourceName, String text) {
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(text, "text");
    List<Integer> lines = new ArrayList<>();
    String first = null;
    String[] split = text.split("\\R", -1);
    for (int i = 0; i < split.length; i++) {
      Matcher m = HTTP_IN_TEXT.matcher(split[i]);
      if (m.find()) {
        lines.add(i + 1);
        if (first == null) {
          first = origin(m.group());
        }
      }
    }
    if (!lines.isEmpty()) {
      throw new GateFailedException(
          sourceName + (lines.size() == 1 ? " line " : " lines ") + joined(lines) + ": http(s) URL " + first
              + (lines.size() == 1 ? "" : " and others")
              + "; a release config must not reference remote resources (no remote calls)");
    }
  }

  /** Scheme and host only: the path or user info of a URL may carry a token. */
  static String origin(String url) {
    Matcher m = ORIGIN.matcher(url);
    if (!m.find()) {
      return "URL";
    }
    return m.group(1).toLowerCase(java.util.Locale.ROOT) + "://" + OneLine.clip(m.group(2)) + "/...";
  }

  private static String joined(List<Integer> lines) {
    List<String> parts = new ArrayList<>();
    for (int n : lines.subList(0, Math.min(lines.size(), 10))) {
      parts.add(Integer.toString(n));
    }
    return String.join(", ", parts) + (lines.size() > 10 ? " (+" + (lines.size() - 10) + " more)" : "");
  }
}
