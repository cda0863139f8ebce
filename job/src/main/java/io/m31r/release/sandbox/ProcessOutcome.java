package io.m31r.release.sandbox;

/**
 * How one sandboxed process ended.
 *
 * @param exitCode the exit status; 128 + n when killed by signal n (as the JDK reports it)
 * @param timedOut it ran past its limit and its whole tree was killed
 * @param stdout at most the output cap, decoded leniently (it is for people, not for digests)
 * @param stdoutBytes everything it wrote, kept or not
 * @param stdoutTail the last few KiB of stdout, however much came before
 */
public record ProcessOutcome(
    int exitCode, boolean timedOut, String stdout, long stdoutBytes, String stdoutTail, String stderr, long stderrBytes,
    long elapsedMillis) {

  public boolean killedBySignal() {
    return !timedOut && exitCode > 128 && exitCode < 128 + 65;
  }

  public int signal() {
    return killedBySignal() ? exitCode - 128 : 0;
  }
}
