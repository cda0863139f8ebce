package io.m31r.release.suite;

import io.m31r.release.hashing.Sha256;
import java.io.Serializable;
import java.util.Objects;

/**
 * A complete Rust source ready for the sandbox, and how it is judged.
 *
 * @param sha256 identifies the program for the dedupe cache: the SHA-256 of the mode's name, a
 *     newline and the source, so that equal text judged two ways is never confused
 */
public record AssembledProgram(String source, RunMode mode, String sha256) implements Serializable {
  public enum RunMode {
    /** {@code rustc --edition 2021 --test}; passes when the test summary shows >= 1 test, none failed. */
    TEST_HARNESS,
    /** {@code rustc --edition 2021}; passes when {@code main} exits 0. */
    MAIN_EXIT,
    /**
     * {@code rustc --edition 2021}; passes when {@code main} exits 0 and stdout ends with this run's
     * {@link EndMarker} line, which the assembled program prints only after the last test.
     */
    MAIN_TO_END
  }

  public AssembledProgram {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(sha256, "sha256");
  }

  public static AssembledProgram of(String source, RunMode mode) {
    return new AssembledProgram(source, mode, Sha256.hex(mode.name() + "\n" + source));
  }
}
