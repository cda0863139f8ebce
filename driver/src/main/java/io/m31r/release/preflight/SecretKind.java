package io.m31r.release.preflight;

/** The kinds of embedded secret {@link SecretScan} recognises. */
public enum SecretKind {
  PRIVATE_KEY("private key block"),
  AWS_ACCESS_KEY_ID("AWS access key id"),
  AWS_SECRET_ACCESS_KEY("AWS secret access key"),
  GITHUB_TOKEN("GitHub token"),
  SLACK_TOKEN("Slack token"),
  SLACK_WEBHOOK("Slack webhook URL"),
  SECRET_ASSIGNMENT("password/secret/token assignment"),
  HIGH_ENTROPY("high-entropy string");

  private final String label;

  SecretKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
