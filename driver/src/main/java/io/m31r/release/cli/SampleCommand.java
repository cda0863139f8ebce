package io.m31r.release.cli;

import io.m31r.release.sample.SampleDatasetWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    description = {
      "Generates, deterministically from a seed, a sample sharded dataset (a synthetic Rust corpus in",
      "the upstream shard formats) under OUT/dataset, for trying the release job without real data."
    })
final class SampleCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Workspace directory (OUT/dataset must be absent or empty).")
  Path out;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the corpus (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--shards", defaultValue = "8", description = "Number of text shards (default: ${DEFAULT-VALUE}).")
  int shards;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Path dataset = out.resolve("dataset");
    int files = new SampleDatasetWriter(seed, shards).write(dataset);
    spec.commandLine().getOut().println("sample dataset: " + dataset.toAbsolutePath() + " (" + files + " files, seed " + seed + ")");
    return 0;
  }
}
