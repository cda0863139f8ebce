package io.m31r.release.model.generate;

import io.m31r.release.failure.BadInputException;
import java.util.List;
import java.util.Objects;

/**
 * One prompt, {@code samples} completions. Each sample draws from its own random stream derived
 * from (seed, prompt, sample index), so a rerun reproduces every sample and samples differ.
 */
public record GenerationRequest(
    String prompt, int maxNewTokens, SamplingParams sampling, long seed, int samples, List<String> stops) {
  public GenerationRequest {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(sampling, "sampling");
    stops = List.copyOf(stops);
    if (prompt.isEmpty()) {
      throw new BadInputException("prompt is empty; M31R has no BOS token to start from");
    }
    if (maxNewTokens < 1) {
      throw new BadInputException("max new tokens must be >= 1: " + maxNewTokens);
    }
    if (samples < 1) {
      throw new BadInputException("samples must be >= 1: " + samples);
    }
    for (String stop : stops) {
      if (stop.isEmpty()) {
        throw new BadInputException("a stop string must not be empty");
      }
    }
  }
}
