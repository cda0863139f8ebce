package io.m31r.release.generation;

/**
 * Where sample completions come from when a model is benchmarked. The model runtime (DJL text
 * generation) implements this; the benchmark stage only consumes it, so that everything after
 * generation (assembly, sandbox, metrics, gates) is the same for model, oracle and samples-file
 * runs. Implementations are used from one thread per executor slot and must say so if they are
 * not thread-safe by sharing nothing mutable.
 */
public interface CompletionSource extends AutoCloseable {
  /** The SHA-256 of the model weights, recorded in the report as what was measured. */
  String modelSha256();

  /** One sample for one task; requests with the same task and sample index must give the same text. */
  Generation generate(CompletionRequest request);

  @Override
  void close();
}
