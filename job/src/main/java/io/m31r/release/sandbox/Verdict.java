package io.m31r.release.sandbox;

import java.io.Serializable;

/**
 * The judgement of one program.
 *
 * @param compiled rustc produced a binary (the compile-rate metric counts these)
 * @param runMillis -1 when it never ran
 * @param testsPassed from the test summary; -1 where there is none (MultiPL-E, or no run)
 * @param detail one line saying why, for people
 * @param stderrExcerpt the start of rustc's or the program's stderr, at most a few KiB
 */
public record Verdict(
    SampleStatus status,
    boolean compiled,
    long compileMillis,
    long runMillis,
    int testsPassed,
    int testsFailed,
    String detail,
    String stderrExcerpt)
    implements Serializable {

  static final int EXCERPT_CHARS = 4096;

  public Verdict {
    if (status == null || detail == null || stderrExcerpt == null) {
      throw new IllegalArgumentException("a verdict has a status, a detail and an excerpt (maybe empty)");
    }
    if (stderrExcerpt.length() > EXCERPT_CHARS) {
      stderrExcerpt = stderrExcerpt.substring(0, EXCERPT_CHARS);
    }
  }

  public static Verdict sandboxError(String detail) {
    return new Verdict(SampleStatus.SANDBOX_ERROR, false, -1, -1, -1, -1, detail, "");
  }
}
