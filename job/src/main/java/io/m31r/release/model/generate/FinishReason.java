package io.m31r.release.model.generate;

/** Why a completion ended. */
public enum FinishReason {
  /** The model produced its end-of-sequence token (not part of the text). */
  EOS,
  /** A stop string appeared; the text is cut just before it. */
  STOP,
  /** The requested number of new tokens was generated. */
  LENGTH,
  /** The model's context window is full: prompt plus completion reached context_length. */
  CONTEXT
}
