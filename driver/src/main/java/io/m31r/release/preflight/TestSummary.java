package io.m31r.release.preflight;

/**
 * Totals over a directory of JUnit XML reports.
 *
 * @param tests test cases, skipped ones included (the JUnit XML convention)
 * @param reports XML files read
 */
public record TestSummary(int tests, int failures, int errors, int skipped, int reports) {
  public TestSummary {
    if (tests < 0 || failures < 0 || errors < 0 || skipped < 0 || reports < 0) {
      throw new IllegalArgumentException("negative count");
    }
    if ((long) failures + errors + skipped > tests) {
      throw new IllegalArgumentException("failures + errors + skipped exceed tests");
    }
  }

  /** Tests that ran: neither skipped nor stopped by an error before they could run. */
  public int executed() {
    return tests - skipped;
  }

  public boolean passed() {
    return executed() > 0 && failures == 0 && errors == 0;
  }
}
