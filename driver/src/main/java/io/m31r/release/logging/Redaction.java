package io.m31r.release.logging;

import io.m31r.release.formats.SecretCatalogue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets and user content out of logs. Three rules, applied to every event before it is
 * formatted:
 *
 * <ol>
 *   <li>a context value whose key (at any depth) contains one of {@link #SENSITIVE_KEY_PARTS},
 *       ignoring case, is replaced by {@link #MASK}; prompts and completions are user content and
 *       source may be proprietary code, so they count as sensitive too;
 *   <li>the text of those replaced values is also masked wherever else it appears in the same
 *       event (a prompt copied into the message, a password inside a URI);
 *   <li>everywhere (stage, message, context keys and values), text that looks like a credential is
 *       masked: AWS access key ids, PEM private keys, GitHub and Slack tokens, Slack webhooks,
 *       {@code Bearer}/{@code Basic} authorisation values, {@code name=value} assignments whose name
 *       says secret/password/credential/token/api key/access key, and the user-info of URIs
 *       ({@code s3a://AKIA...:secret@bucket} becomes {@code s3a://[redacted]@bucket}).
 * </ol>
 *
 * The rules err on the side of masking: a key named {@code tokens} or {@code tokenizer} is masked
 * too, because a substring test cannot tell it from {@code auth_token}.
 */
public final class Redaction {
  public static final String MASK = "[redacted]";

  public static final List<String> SENSITIVE_KEY_PARTS = List.of(
      "prompt", "completion", "text", "source", "secret", "password", "passwd", "token", "key",
      "credential", "authorization", "cookie");

  /** Shorter values would mask ordinary words and digits all over the event. */
  private static final int MIN_ECHO_LENGTH = 4;

  private static final List<Rule> RULES = List.of(
      // A PEM block, or what is left of one when the message was cut.
      new Rule(Pattern.compile(
          SecretCatalogue.PRIVATE_KEY_BEGIN + ".*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\\z)",
          Pattern.DOTALL), MASK),
      // User-info of a URI; a password may contain '/', so only the part before ':' must not.
      new Rule(Pattern.compile("\\b([A-Za-z][A-Za-z0-9+.-]*://)[^\\s/@]+(?::[^\\s@]*)?@"), "$1" + MASK + "@"),
      // Credentials told by their shape: the catalogue the release's secret scan uses.
      new Rule(SecretCatalogue.Token.AWS_ACCESS_KEY_ID.pattern(), MASK),
      new Rule(SecretCatalogue.Token.GITHUB_TOKEN.pattern(), MASK),
      new Rule(SecretCatalogue.Token.SLACK_TOKEN.pattern(), MASK),
      new Rule(SecretCatalogue.Token.SLACK_WEBHOOK.pattern(), MASK),
      new Rule(Pattern.compile("(?i)\\b(Bearer|Basic)\\s+[A-Za-z0-9._~+/=-]{8,}"), "$1 " + MASK),
      // name=value or name: value, where the name says what the value is; a plural (max_new_tokens=)
      // counts things and is left alone.
      new Rule(Pattern.compile(
          "(?i)\\b([\\w.-]*(?:" + SecretCatalogue.SECRET_NAME_INFIXES + ")[\\w.-]*"
              + "|[\\w.-]*(?:" + SecretCatalogue.SECRET_NAME_WORDS + "))"
              + "(\\s*[=:]\\s*)(?:\"[^\"]*\"|'[^']*'|[^\\s,;&\"']+)"),
          "$1$2" + MASK));

  private static final Redaction STANDARD = new Redaction();

  private record Rule(Pattern pattern, String replacement) {}

  private Redaction() {}

  public static Redaction standard() {
    return STANDARD;
  }

  /** True when a context key names something that must not be logged. */
  public boolean isSensitiveKey(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    for (String part : SENSITIVE_KEY_PARTS) {
      if (lower.contains(part)) {
        return true;
      }
    }
    return false;
  }

  /** {@code text} with every credential-looking part masked. */
  public String maskText(String text) {
    String out = text;
    for (Rule rule : RULES) {
      Matcher m = rule.pattern().matcher(out);
      if (m.find()) {
        out = m.replaceAll(rule.replacement());
      }
    }
    return out;
  }

  /** The event as it may be written: every rule above applied to stage, message and context. */
  public Event event(Instant time, Level level, String stage, String message, Map<String, ?> context) {
    Map<String, Object> normalised = ContextValues.normalise(context);
    Set<String> hidden = new TreeSet<>();
    collectHidden(normalised, false, hidden);
    List<String> echoes = new ArrayList<>(hidden);
    // Longest first, so a secret that contains another is masked whole.
    echoes.sort(Comparator.comparingInt(String::length).reversed());
    return new Event(
        time,
        level,
        mask(stage, echoes),
        mask(message, echoes),
        maskMap(normalised, echoes));
  }

  private void collectHidden(Object value, boolean underSensitiveKey, Set<String> hidden) {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        collectHidden(e.getValue(), underSensitiveKey || isSensitiveKey((String) e.getKey()), hidden);
      }
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        collectHidden(item, underSensitiveKey, hidden);
      }
    } else if (underSensitiveKey && value != null) {
      String text = value.toString();
      if (text.strip().length() >= MIN_ECHO_LENGTH) {
        hidden.add(text);
      }
    }
  }

  private String mask(String text, List<String> echoes) {
    String out = text;
    for (String echo : echoes) {
      out = out.replace(echo, MASK);
    }
    return maskText(out);
  }

  private Map<String, Object> maskMap(Map<?, ?> map, List<String> echoes) {
    TreeMap<String, Object> out = new TreeMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = (String) e.getKey();
      Object value = isSensitiveKey(key) ? MASK : maskValue(e.getValue(), echoes);
      out.put(mask(key, echoes), value);
    }
    return Collections.unmodifiableMap(out);
  }

  private Object maskValue(Object value, List<String> echoes) {
    if (value instanceof String s) {
      return mask(s, echoes);
    }
    if (value instanceof Map<?, ?> map) {
      return maskMap(map, echoes);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object item : list) {
        out.add(maskValue(item, echoes));
      }
      return Collections.unmodifiableList(out);
    }
    return value;
  }
}
