package io.m31r.release.cli;

import io.m31r.release.model.generate.SamplingParams;
import picocli.CommandLine.Option;

/** Sampling options shared by every command that generates: one spelling, one set of defaults. */
final class SamplingOptions {
  @Option(names = "--temperature", paramLabel = "T",
      description = "0 (or <= 1e-8) is greedy (default: greedy, unless the command says otherwise).")
  Double temperature;

  @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "Keep the K most likely tokens; 0 = off (default).")
  int topK;

  @Option(names = "--top-p", defaultValue = "1", paramLabel = "P", description = "Nucleus sampling mass in (0, 1]; 1 = off (default).")
  double topP;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
      description = "Base seed; each sample's stream derives from it, the prompt and the sample index (default: ${DEFAULT-VALUE}).")
  long seed;

  double temperatureOr(double fallback) {
    return temperature != null ? temperature : fallback;
  }

  SamplingParams params(double defaultTemperature) {
    return new SamplingParams(temperatureOr(defaultTemperature), topK, topP);
  }
}
