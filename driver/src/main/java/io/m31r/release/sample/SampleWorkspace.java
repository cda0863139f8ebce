package io.m31r.release.sample;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.model.tokenizer.M31rTokenizer;
import io.m31r.release.model.training.ModelTrainer;
import io.m31r.release.model.training.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The whole sample workspace, in the order its parts depend on each other: corpus and tokenizer
 * (the dataset holds the tokenizer's ids), suite, training config (its vocabulary is the
 * tokenizer's), then the trained model completed into a verified bundle.
 */
public final class SampleWorkspace {
  /** Where everything went, and how training went. */
  public record Result(
      Path tokenizer, Path dataset, int datasetFiles, Path suite, int tasks, Path config, Path checkpoint,
      TrainingResult training) {}

  private final long seed;
  private final int shards;

  public SampleWorkspace(long seed, int shards) {
    this.seed = seed;
    this.shards = shards;
  }

  public Result create(Path out, ModelTrainer.StepListener listener) {
    requireEmpty(out);
    Path dataset = out.resolve("dataset");
    Path tokenizer = out.resolve("tokenizer.json");
    Path suite = out.resolve("benchmarks");
    Path config = out.resolve("config.yaml");
    Path checkpoint = out.resolve("checkpoint");
    int files = new SampleDatasetWriter(seed, shards).write(dataset, tokenizer);
    int tasks = new SampleSuiteWriter(seed).write(suite);
    int vocab;
    try (M31rTokenizer t = M31rTokenizer.load(tokenizer)) {
      vocab = t.vocabSize();
    }
    SampleTrainingConfig.write(config, seed, vocab);
    TrainingResult training = new SampleModelBuilder(config).build(checkpoint, listener);
    SampleCheckpoint.complete(checkpoint, config, tokenizer);
    return new Result(tokenizer, dataset, files, suite, tasks, config, checkpoint, training);
  }

  private static void requireEmpty(Path out) {
    if (!Files.exists(out)) {
      return;
    }
    if (!Files.isDirectory(out)) {
      throw new BadInputException("sample output " + out + " exists and is not a directory");
    }
    try (Stream<Path> entries = Files.list(out)) {
      if (entries.findAny().isPresent()) {
        throw new BadInputException("sample output " + out + " already exists and is not empty");
      }
    } catch (IOException e) {
      throw new InfrastructureException("cannot list " + out + ": " + e.getMessage(), e);
    }
  }
}
