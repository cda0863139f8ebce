package io.m31r.release.report;

/**
 * One release gate's verdict, as text the approver reads.
 *
 * @param target what the gate requires, for example {@code >= 70%}
 * @param actual what this release measured, for example {@code 72.5%} or {@code not measured}
 */
public record GateResult(String gate, String target, String actual, boolean passed) {
  public GateResult {
    Checks.nonBlank(gate, "gate name");
    Checks.nonBlank(target, "gate '" + gate + "': target");
    Checks.nonBlank(actual, "gate '" + gate + "': actual");
  }
}
