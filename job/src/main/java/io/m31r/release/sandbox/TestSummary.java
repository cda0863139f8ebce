package io.m31r.release.sandbox;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * libtest's result line, {@code test result: ok. 3 passed; 0 failed; ...}. The last such line is
 * taken and checked against the {@code running N tests} header before it: a program that exits
 * early or prints a lone summary of its own does not produce a consistent pair. (A program that
 * fakes both is running inside the test binary and can; the benchmark measures models, not
 * adversaries, and docs/benchmark.md says so.)
 */
public record TestSummary(boolean ok, int passed, int failed) {
  private static final Pattern RESULT =
      Pattern.compile("(?m)^test result: (ok|FAILED)\\. (\\d+) passed; (\\d+) failed; (\\d+) ignored; (\\d+) measured; (\\d+) filtered out");
  private static final Pattern RUNNING = Pattern.compile("(?m)^running (\\d+) tests?$");

  /** The summary, or null when stdout holds no consistent one. */
  public static TestSummary parse(String stdout) {
    Matcher r = RESULT.matcher(stdout);
    int start = -1;
    TestSummary last = null;
    while (r.find()) {
      try {
        int passed = Integer.parseInt(r.group(2));
        int failed = Integer.parseInt(r.group(3));
        int ignored = Integer.parseInt(r.group(4));
        int measured = Integer.parseInt(r.group(5));
        last = new TestSummary(r.group(1).equals("ok"), passed, failed);
        start = r.start();
        last = consistent(stdout.substring(0, start), passed + failed + ignored + measured) ? last : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return last;
  }

  private static boolean consistent(String before, int total) {
    Matcher m = RUNNING.matcher(before);
    int announced = -1;
    while (m.find()) {
      announced = Integer.parseInt(m.group(1));
    }
    return announced == total;
  }
}
