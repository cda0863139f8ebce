package io.m31r.release.model.generate;

import java.util.List;

/**
 * Completions in sample order plus timings: {@code ttftMs} from the start of the prompt pass to the
 * first sampled token, {@code msPerToken} the mean wall time of each later batched decoding step
 * (null when there was none). {@code generatedTokens} counts tokens sampled over all samples, EOS
 * and stop-string tokens included, since the model paid for them.
 */
public record GenerationResult(
    List<Completion> completions, int promptTokens, int generatedTokens, double ttftMs, Double msPerToken) {
  public GenerationResult {
    completions = List.copyOf(completions);
  }
}
