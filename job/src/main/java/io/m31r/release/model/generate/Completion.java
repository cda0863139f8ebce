package io.m31r.release.model.generate;

import java.util.Objects;

/** One sample's text (exact source, stop string excluded) and the number of tokens it took. */
public record Completion(String text, int tokens, FinishReason finishReason) {
  public Completion {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(finishReason, "finishReason");
  }
}
