package io.m31r.release.report;

/** One labelled fact shown at the top of the report: dataset version, model hash, git commit, tag. */
public record KeyFact(String label, String value) {
  public KeyFact {
    Checks.nonBlank(label, "key fact label");
    Checks.nonBlank(value, "key fact '" + label + "': value");
  }
}
