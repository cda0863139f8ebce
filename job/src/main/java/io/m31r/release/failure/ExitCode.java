package io.m31r.release.failure;

/**
 * The process exit-code contract shared by every command. Schedulers key their retry policy on it:
 * only {@link #INTERNAL} is worth retrying, every other failure repeats until a person acts.
 */
public enum ExitCode {
  OK(0),
  /** Internal or infrastructure failure, including a publish whose outcome is unknown. */
  INTERNAL(1),
  /** Usage, configuration or bad input. */
  BAD_INPUT(2),
  /** A release gate blocked the release. */
  GATE_BLOCKED(3),
  /** Checksum mismatch, changed dataset, corrupted artifact. */
  INTEGRITY(4),
  /** Version, tag or manifest already exists with different content. */
  CONFLICT(5);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
