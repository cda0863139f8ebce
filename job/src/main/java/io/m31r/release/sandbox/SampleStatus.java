package io.m31r.release.sandbox;

import java.util.Locale;

/** The one outcome every evaluated sample ends in. */
public enum SampleStatus {
  PASSED,
  /** rustc refused the program (or ran out of its memory limit). */
  COMPILE_ERROR,
  /** It compiled and ran, but a test failed, no test ran, or main exited non-zero. */
  TEST_FAILED,
  /** Compiling or running took longer than its limit; the whole process tree was killed. */
  TIMEOUT,
  /** The program died from a signal (abort on allocation failure, segfault, a limit). */
  CRASHED,
  /** The harness could not do its part (temp dir, rustc vanished): says nothing about the sample. */
  SANDBOX_ERROR;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SampleStatus fromWireName(String s) {
    for (SampleStatus v : values()) {
      if (v.wireName().equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown sample status: " + s);
  }
}
