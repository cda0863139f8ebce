package io.m31r.release.formats;

import java.util.regex.Pattern;

/**
 * The credentials recognised by their shape, and the words that make a name say "secret": one list
 * for the release's secret scan (preflight) and the log redaction, so that whatever one flags the
 * other masks. It is the union of what the two knew before they shared it.
 *
 * <p>Boundaries are "no letter or digit on either side", so that a token inside a word is not
 * matched but one after an underscore or a quote is.
 */
public final class SecretCatalogue {
  /** A credential told by its shape alone, in the order the scanner applies them. */
  public enum Token {
    /** AWS access key ids, long-term and temporary, by every documented prefix. */
    AWS_ACCESS_KEY_ID(
        "(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])"),
    GITHUB_TOKEN(
        "(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])"),
    SLACK_TOKEN("(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}"),
    SLACK_WEBHOOK("https://hooks\\.slack\\.com/services/[A-Za-z0-9/_-]+");

    private final Pattern pattern;

    Token(String regex) {
      this.pattern = Pattern.compile(regex);
    }

    public Pattern pattern() {
      return pattern;
    }
  }

  /** The first line of a PEM private key block (RSA, EC, OPENSSH, PGP ... BLOCK). */
  public static final String PRIVATE_KEY_BEGIN = "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----";

  /**
   * Words that, ending a key or variable name, say its value is a secret (case-insensitive regex
   * alternation, separators {@code _ . -} optional inside two-word names).
   */
  public static final String SECRET_NAME_WORDS =
      "password|passwd|passphrase|secret|secret[_.\\-]?key|credential|token"
          + "|api[_.\\-]?key|access[_.\\-]?key|private[_.\\-]?key";

  /** Words that say "secret" wherever they stand in a name ({@code db_password_file}). */
  public static final String SECRET_NAME_INFIXES = "secret|passw(?:or)?d|passphrase|credential";

  private SecretCatalogue() {}
}
