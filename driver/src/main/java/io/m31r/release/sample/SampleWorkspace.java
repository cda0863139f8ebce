package io.m31r.release.sample;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.model.tokenizer.M31rTokenizer;
import io.m31r.release.model.training.ModelTrainer;
import io.m31r.release.model.training.TrainingResult;
import io.m31r.release.sandbox.RustToolchain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * The whole sample workspace, in the order its parts depend on each other: corpus and tokenizer
 * (the dataset holds the tokenizer's ids), suite, training config (its vocabulary is the
 * tokenizer's), the trained model completed into a verified bundle, the JUnit report of the
 * corpus tests, release.yaml, README.md and .gitignore, and finally the git history over it all.
 * The result is a work tree {@code m31r export} accepts as it is: clean, with every input present.
 */
public final class SampleWorkspace {
  public static final String DATASET = "dataset";
  public static final String TOKENIZER = "tokenizer.json";
  public static final String SUITE = "benchmarks";
  public static final String TRAINING_CONFIG = "config.yaml";
  public static final String CHECKPOINT = "checkpoint";

  /** Where everything went, how training and the corpus tests went, and the repository's HEAD. */
  public record Result(
      Path tokenizer, Path dataset, int datasetFiles, Path suite, int tasks, Path config, Path checkpoint,
      TrainingResult training, SampleTestReport.Summary tests, Path releaseConfig, String gitHead) {}

  private final long seed;
  private final int shards;

  public SampleWorkspace(long seed, int shards) {
    this.seed = seed;
    this.shards = shards;
  }

  public Result create(Path out, ModelTrainer.StepListener listener) {
    requireEmpty(out);
    // Both can refuse (no rustc, a bad SOURCE_DATE_EPOCH): find out before minutes of training.
    RustToolchain toolchain = RustToolchain.locate(null);
    Instant historyStart = SampleHistory.start(System.getenv());
    Path dataset = out.resolve(DATASET);
    Path tokenizer = out.resolve(TOKENIZER);
    Path suite = out.resolve(SUITE);
    Path config = out.resolve(TRAINING_CONFIG);
    Path checkpoint = out.resolve(CHECKPOINT);
    int files = new SampleDatasetWriter(seed, shards).write(dataset, tokenizer);
    int tasks = new SampleSuiteWriter(seed).write(suite);
    int vocab;
    try (M31rTokenizer t = M31rTokenizer.load(tokenizer)) {
      vocab = t.vocabSize();
    }
    SampleTrainingConfig.write(config, seed, vocab);
    TrainingResult training = new SampleModelBuilder(config).build(checkpoint, listener);
    SampleCheckpoint.complete(checkpoint, config, tokenizer);
    SampleTestReport.Summary tests =
        new SampleTestReport(toolchain).run(suite, out.resolve(SampleReleaseConfig.TEST_REPORTS));
    Path releaseConfig = SampleReleaseConfig.write(out, smokePrompt(seed));
    SampleReadme.write(out, seed, shards);
    SampleHistory.writeGitignore(out);
    String head = SampleHistory.create(out, historyStart);
    return new Result(tokenizer, dataset, files, suite, tasks, config, checkpoint, training, tests, releaseConfig, head);
  }

  /** The release's smoke test prompt: the opening of the first corpus function, which the model learnt. */
  public static String smokePrompt(long seed) {
    return RustCorpus.generate(seed).get(0).signature();
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
