package io.m31r.release.preflight;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.formats.SecretCatalogue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks for embedded secrets (section 25) in the text of release files: config.yaml, tokenizer.json,
 * README-like files and the checkpoint's {@code __metadata__}. Findings name the source, line and
 * kind; the matched value never leaves this class.
 *
 * <p>Rules are applied in the order of {@link SecretKind}; a match overlapping an earlier one is
 * dropped, so one secret is reported once, under its most specific kind. The high-entropy rule and
 * its calibration are described in {@code docs/preflight.md}.
 */
public final class SecretScan {
  private static final Pattern PRIVATE_KEY_BEGIN = Pattern.compile(SecretCatalogue.PRIVATE_KEY_BEGIN);
  private static final Pattern PRIVATE_KEY_END = Pattern.compile("-----END [A-Z0-9 ]*-----");
  private static final Pattern AWS_SECRET =
      Pattern.compile(
          "(?i)aws[_.\\-]?secret[_.\\-]?(?:access[_.\\-]?)?key[\"']?\\s*(?::=|=>|[:=])\\s*[\"']?"
              + "([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])");

  /** A key that ends in one of the secret words, so {@code tokenizer_path} or {@code max_tokens: 64} stay out. */
  private static final String KEY =
      "(?<![A-Za-z0-9_.\\-])([A-Za-z0-9_.\\-]*?(?:" + SecretCatalogue.SECRET_NAME_WORDS + ")s?)[\"']?";
  private static final String ASSIGN = "[ \\t]*(?::=|=>|[:=])[ \\t]*";
  /** Anywhere, with a quoted value: JSON, YAML, code. */
  private static final Pattern QUOTED_ASSIGNMENT =
      Pattern.compile("(?i)" + KEY + ASSIGN + "(?:\"([^\"\\r\\n]*)\"|'([^'\\r\\n]*)')");
  /**
   * Unquoted values only in line-oriented config (YAML, .env, properties): the key starts the line
   * and the value ends it. Code such as {@code token: TokenStream,} or {@code let token = next();}
   * ends in punctuation and is left alone.
   */
  private static final Pattern BARE_ASSIGNMENT =
      Pattern.compile(
          "(?im)^[ \\t]*(?:export[ \\t]+|-[ \\t]+)?[\"']?" + KEY + ASSIGN
              + "([^\\s#\"',;(){}\\[\\]<>]+)[ \\t]*(?:#.*)?$");
  private static final int MIN_ASSIGNED_SECRET = 8;
  private static final String SLACK_WEBHOOK_PREFIX = "https://hooks.slack.com/services/";
  private static final Pattern PLACEHOLDER =
      Pattern.compile(
          "\\$\\{.*\\}|\\$\\(.*\\)|\\$[A-Za-z_][A-Za-z0-9_]*|%[^%]+%|<.*>|\\{\\{.*\\}\\}"
              + "|[+-]?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|(.)\\1*");
  private static final Set<String> PLACEHOLDER_WORDS =
      Set.of("changeme", "redacted", "placeholder", "password", "undefined", "none", "null", "true", "false");

  /** Runs of base64/hex-like characters; '=' only as trailing padding so that {@code key=value} splits. */
  private static final Pattern TOKEN_RUN = Pattern.compile("[A-Za-z0-9+/_\\-]{32,}={0,2}");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
  /** md5/UUID, SHA-1/git, SHA-224, SHA-256, SHA-384, SHA-512: digests are published, not secret. */
  private static final Set<Integer> DIGEST_HEX_LENGTHS = Set.of(32, 40, 56, 64, 96, 128);
  /**
   * How far below the entropy expected of uniformly random characters a run may fall and still be
   * flagged. Random base64 runs of 32/40/64 characters fall below the resulting threshold
   * 0.18%/0.30%/0.12% of the time (20,000 samples each); English-like identifiers and paths sit far below it.
   */
  static final double ENTROPY_MARGIN = 0.45;

  private SecretScan() {}

  public static List<SecretFinding> scan(String sourceName, String text) {
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(text, "text");
    List<Span> spans = new ArrayList<>();
    privateKeys(text, spans);
    simple(text, SecretCatalogue.Token.AWS_ACCESS_KEY_ID.pattern(), SecretKind.AWS_ACCESS_KEY_ID, spans);
    awsSecrets(text, spans);
    simple(text, SecretCatalogue.Token.GITHUB_TOKEN.pattern(), SecretKind.GITHUB_TOKEN, spans);
    simple(text, SecretCatalogue.Token.SLACK_TOKEN.pattern(), SecretKind.SLACK_TOKEN, spans);
    simple(text, SecretCatalogue.Token.SLACK_WEBHOOK.pattern(), SecretKind.SLACK_WEBHOOK, spans);
    assignments(text, QUOTED_ASSIGNMENT, spans);
    assignments(text, BARE_ASSIGNMENT, spans);
    highEntropy(text, spans);
    int[] lineStarts = lineStarts(text);
    List<SecretFinding> findings = new ArrayList<>();
    for (Span s : spans) {
      findings.add(new SecretFinding(sourceName, lineOf(lineStarts, s.start), s.kind, s.masked));
    }
    findings.sort(Comparator.comparingInt(SecretFinding::line).thenComparing(SecretFinding::kind));
    return List.copyOf(findings);
  }

  /**
   * Scans each {@code __metadata__} entry as a {@code key: value} line, so a key such as
   * {@code hf_token} is judged like a config key; the source names the entry.
   */
  public static List<SecretFinding> scanMetadata(String sourceName, Map<String, String> metadata) {
    Objects.requireNonNull(metadata, "metadata");
    List<SecretFinding> findings = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
      findings.addAll(
          scan(sourceName + " __metadata__." + OneLine.clip(e.getKey()), e.getKey() + ": " + e.getValue()));
    }
    return List.copyOf(findings);
  }

  /** Scans a text file read as UTF-8; undecodable bytes become U+FFFD and split runs. */
  public static List<SecretFinding> scanFile(Path file) {
    try {
      return scan(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new BadInputException(file + " does not exist", e);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public static void requireNone(List<SecretFinding> findings) {
    if (findings.isEmpty()) {
      return;
    }
    int shown = Math.min(findings.size(), 5);
    List<String> parts = new ArrayList<>();
    for (SecretFinding f : findings.subList(0, shown)) {
      parts.add(f.describe());
    }
    throw new GateFailedException(
        "secret scan: " + findings.size() + (findings.size() == 1 ? " possible secret: " : " possible secrets: ")
            + String.join("; ", parts)
            + (findings.size() > shown ? "; (+" + (findings.size() - shown) + " more)" : "")
            + "; remove them from the release inputs");
  }

  private record Span(int start, int end, SecretKind kind, String masked) {
    boolean overlaps(int s, int e) {
      return s < end && start < e;
    }
  }

  private static boolean add(List<Span> spans, int start, int end, SecretKind kind, String masked) {
    for (Span s : spans) {
      if (s.overlaps(start, end)) {
        return false;
      }
    }
    spans.add(new Span(start, end, kind, masked));
    return true;
  }

  private static void privateKeys(String text, List<Span> spans) {
    Matcher begin = PRIVATE_KEY_BEGIN.matcher(text);
    int from = 0;
    while (begin.find(from)) {
      Matcher end = PRIVATE_KEY_END.matcher(text);
      // The whole block is one finding: its base64 body would otherwise also read as high entropy.
      int stop = end.find(begin.end()) ? end.end() : text.length();
      add(spans, begin.start(), stop, SecretKind.PRIVATE_KEY, "(key body withheld)");
      from = stop;
      if (from >= text.length()) {
        break;
      }
    }
  }

  private static void simple(String text, Pattern pattern, SecretKind kind, List<Span> spans) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      String v = m.group();
      add(spans, m.start(), m.end(), kind, publicPrefix(v) + "... (" + v.length() + " chars)");
    }
  }

  /** The part of a token that identifies its issuer and says nothing about the secret: AKIA, ghp_, xoxb-. */
  private static String publicPrefix(String token) {
    if (token.startsWith(SLACK_WEBHOOK_PREFIX)) {
      return SLACK_WEBHOOK_PREFIX;
    }
    if (token.startsWith("github_pat_")) {
      return "github_pat_";
    }
    if (token.startsWith("xox")) {
      return token.substring(0, 5);
    }
    return token.substring(0, 4);
  }

  private static void awsSecrets(String text, List<Span> spans) {
    Matcher m = AWS_SECRET.matcher(text);
    while (m.find()) {
      add(spans, m.start(1), m.end(1), SecretKind.AWS_SECRET_ACCESS_KEY, "(value withheld, 40 chars)");
    }
  }

  private static void assignments(String text, Pattern pattern, List<Span> spans) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      int group = m.group(2) != null ? 2 : m.groupCount() >= 3 && m.group(3) != null ? 3 : -1;
      if (group < 0 || trivial(m.group(group))) {
        continue;
      }
      add(
          spans, m.start(group), m.end(group), SecretKind.SECRET_ASSIGNMENT,
          "to key '" + OneLine.clip(m.group(1)) + "' (value withheld, " + m.group(group).length() + " chars)");
    }
  }

  /** Values that are evidently not a secret: short, numbers, placeholders and template references. */
  static boolean trivial(String value) {
    String v = value.strip();
    return v.length() < MIN_ASSIGNED_SECRET
        || PLACEHOLDER.matcher(v).matches()
        || PLACEHOLDER_WORDS.contains(v.toLowerCase(Locale.ROOT));
  }

  private static void highEntropy(String text, List<Span> spans) {
    Matcher m = TOKEN_RUN.matcher(text);
    while (m.find()) {
      String run = m.group();
      double bits = entropy(run);
      boolean flagged;
      if (HEX.matcher(run).matches()) {
        flagged = !DIGEST_HEX_LENGTHS.contains(run.length()) && bits >= threshold(16, run.length());
      } else {
        flagged = mixedClasses(run) && bits >= threshold(64, run.length());
      }
      if (flagged) {
        add(
            spans, m.start(), m.end(), SecretKind.HIGH_ENTROPY,
            String.format(Locale.ROOT, "(value withheld, %d chars, %.2f bits/char)", run.length(), bits));
      }
    }
  }

  /**
   * The entropy a run of {@code length} characters drawn uniformly from {@code alphabet} symbols is
   * expected to show (the plug-in estimate falls short of log2(alphabet) by about (K-1)/(2N ln 2)),
   * less {@link #ENTROPY_MARGIN}.
   */
  static double threshold(int alphabet, int length) {
    double expected = log2(alphabet) - (alphabet - 1) / (2.0 * length * Math.log(2));
    return expected - ENTROPY_MARGIN;
  }

  /** Random base64 has upper case, lower case and digits; words, paths and SHOUTING_NAMES rarely all three. */
  private static boolean mixedClasses(String run) {
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    for (int i = 0; i < run.length(); i++) {
      char c = run.charAt(i);
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
      digit |= c >= '0' && c <= '9';
    }
    return upper && lower && digit;
  }

  /** Shannon entropy of the run's character frequencies, in bits per character. */
  static double entropy(String s) {
    Map<Character, Integer> counts = new HashMap<>();
    for (int i = 0; i < s.length(); i++) {
      counts.merge(s.charAt(i), 1, Integer::sum);
    }
    double h = 0;
    for (int c : counts.values()) {
      double p = (double) c / s.length();
      h -= p * log2(p);
    }
    return h;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static int[] lineStarts(String text) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        starts.add(i + 1);
      }
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int lineOf(int[] lineStarts, int offset) {
    int i = Arrays.binarySearch(lineStarts, offset);
    return i >= 0 ? i + 1 : -i - 1;
  }
}
