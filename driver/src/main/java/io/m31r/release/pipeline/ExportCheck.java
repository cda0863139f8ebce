package io.m31r.release.pipeline;

/**
 * One thing that can fail before hours of work, checked in seconds without writing anything that
 * outlives the check. {@code m31r export} runs them after preflight; {@code export --dry-run} runs
 * them and stops. A check that fails throws the project's exception of that failure mode, whose
 * exit code is then the dry run's.
 */
interface ExportCheck {
  /** A short name for the dry run's listing, e.g. {@code gpu probe}. */
  String name();

  /** Runs the check; returns a one-line account of what passed. */
  String run();
}
