package io.m31r.release.sample;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ConflictException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.model.bundle.FileDigests;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.config.ModelConfigReader;
import io.m31r.release.model.tokenizer.M31rTokenizer;
import io.m31r.release.model.training.DatasetDigest;
import io.m31r.release.model.training.ModelTrainer;
import io.m31r.release.model.training.TrainingConfig;
import io.m31r.release.model.training.TrainingConfigReader;
import io.m31r.release.model.training.TrainingCorpus;
import io.m31r.release.model.training.TrainingEnvironment;
import io.m31r.release.model.training.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the sample model from its recorded inputs alone: a config.yaml (model and train
 * sections, seed), the dataset and tokenizer it names (relative to the config's folder). This is
 * the whole "rebuild from scratch" contract: the same inputs give the same
 * {@code model.safetensors} bytes, which carry the inputs' hashes in their {@code __metadata__}.
 */
public final class SampleModelBuilder {
  public static final String MODEL_FILE = "model.safetensors";

  private final Path configFile;
  private final Integer threads;

  public SampleModelBuilder(Path configFile) {
    this(configFile, null);
  }

  /** With {@code threads} libtorch threads instead of the config's {@code train.threads} (null: the config's). */
  public SampleModelBuilder(Path configFile, Integer threads) {
    this.configFile = configFile.toAbsolutePath().normalize();
    this.threads = threads;
    if (threads != null && threads < 1) {
      throw new BadInputException("--threads must be a positive integer: " + threads);
    }
  }

  /**
   * Trains and writes {@code outDir/model.safetensors}, which must not exist yet, and the training
   * record beside it. Outside {@link TrainingEnvironment} the training runs in a child JVM that has it.
   */
  public TrainingResult build(Path outDir, ModelTrainer.StepListener listener) {
    if (!Files.isRegularFile(configFile)) {
      throw new BadInputException("training config " + configFile + " does not exist");
    }
    String yaml;
    try {
      yaml = Files.readString(configFile);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + configFile + ": " + e.getMessage(), e);
    }
    String name = String.valueOf(configFile.getFileName());
    ModelConfig model = ModelConfigReader.parse(yaml, name);
    TrainingConfig parsed = TrainingConfigReader.parse(yaml, name);
    TrainingConfig train = threads == null ? parsed : parsed.withThreads(threads);
    Path base = configFile.getParent();
    Path dataset = base.resolve(train.datasetDirectory()).normalize();
    Path tokenizerFile = base.resolve(train.tokenizerDirectory()).resolve(TrainingConfig.TOKENIZER_FILE).normalize();
    if (!Files.isRegularFile(tokenizerFile)) {
      throw new BadInputException(name + " train.tokenizer_directory: no " + TrainingConfig.TOKENIZER_FILE + " at " + tokenizerFile);
    }
    Path out = outDir.resolve(MODEL_FILE);
    if (Files.exists(out)) {
      throw new ConflictException("model output " + out + " already exists; choose an empty --out");
    }
    if (!TrainingEnvironment.active(System.getenv())) {
      return TrainingChild.run(configFile, train.threads(), outDir, listener);
    }
    Map<String, String> provenance =
        Map.of(
            "dataset_sha256", DatasetDigest.rootSha256(dataset),
            "tokenizer_sha256", FileDigests.sha256(tokenizerFile),
            "config_sha256", FileDigests.sha256(configFile));
    try (M31rTokenizer tokenizer = M31rTokenizer.load(tokenizerFile)) {
      if (tokenizer.vocabSize() > model.vocabSize()) {
        throw new BadInputException(
            name + " model.vocab_size " + model.vocabSize() + " is smaller than the tokenizer's " + tokenizer.vocabSize());
      }
      TrainingCorpus corpus = TrainingCorpus.load(dataset, tokenizer, model.contextLength());
      Files.createDirectories(outDir);
      return new ModelTrainer(model, train).train(corpus, provenance, out, listener);
    } catch (IOException e) {
      throw new InfrastructureException("cannot create " + outDir + ": " + e.getMessage(), e);
    }
  }
}
