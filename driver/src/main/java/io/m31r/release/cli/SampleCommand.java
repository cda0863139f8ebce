package io.m31r.release.cli;

import io.m31r.release.sample.SampleDatasetWriter;
import io.m31r.release.sample.SampleSuiteWriter;
import io.m31r.release.failure.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    description = {
      "Generates, deterministically from a seed, a sample workspace for trying the release job without",
      "real data: a synthetic Rust corpus, a byte-level BPE tokenizer trained on it (OUT/tokenizer.json)",
      "the corpus as a sharded dataset in the upstream formats (OUT/dataset), and a benchmark suite",
      "derived from it (OUT/benchmarks: prompts that stop where a body begins, tests of behaviour)."
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
    Path tokenizer = out.resolve("tokenizer.json");
    if (Files.exists(tokenizer)) {
      throw new BadInputException("sample output " + tokenizer + " already exists");
    }
    Path suite = out.resolve("benchmarks");
    if (Files.exists(suite)) {
      throw new BadInputException("sample output " + suite + " already exists");
    }
    int files = new SampleDatasetWriter(seed, shards).write(dataset, tokenizer);
    int tasks = new SampleSuiteWriter(seed).write(suite);
    spec.commandLine().getOut().println("sample tokenizer: " + tokenizer.toAbsolutePath());
    spec.commandLine().getOut().println("sample dataset: " + dataset.toAbsolutePath() + " (" + files + " files, seed " + seed + ")");
    spec.commandLine().getOut().println("sample suite: " + suite.toAbsolutePath() + " (" + tasks + " tasks)");
    return 0;
  }
}
