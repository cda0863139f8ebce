package io.m31r.release.report;

/** How long one pipeline stage took, in seconds. */
public record StageTiming(String stage, double seconds) {
  public StageTiming {
    Checks.nonBlank(stage, "stage name");
    Checks.finite(seconds, "stage '" + stage + "': seconds");
    if (seconds < 0) {
      throw new InvalidReportException("stage '" + stage + "': seconds must not be negative, got " + seconds);
    }
  }
}
