package io.m31r.release.suite;

import java.util.Locale;

/**
 * How a completion becomes a program. The kind decides the assembly (see
 * {@link ProgramAssembler}) and what the model is asked for; docs/benchmark.md has the table.
 */
public enum TaskKind {
  /** The prompt ends inside a function; the program is prompt + completion, cut at stop strings. */
  COMPLETION,
  /** The prompt has one {@code <FILL>} line; the generated middle replaces that line. */
  FIM,
  /** The prompt is a whole program to fix or restructure; the completion is the whole new program. */
  REWRITE,
  /** MultiPL-E / HumanEval-Rust: prompt + completion cut at the first stop token + "}" + tests. */
  MULTIPL_E;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
