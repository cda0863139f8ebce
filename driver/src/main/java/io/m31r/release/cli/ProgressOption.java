package io.m31r.release.cli;

import java.io.PrintStream;
import picocli.CommandLine.Option;

/** {@code --quiet} for commands with long stages: progress goes to stderr unless it is set. */
final class ProgressOption {
  @Option(names = "--quiet", description = "No progress lines.")
  boolean quiet;

  /** Where progress lines go, or null for none. */
  PrintStream target(SparkCommand command) {
    return quiet ? null : command.err();
  }
}
