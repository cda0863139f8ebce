package io.m31r.release.attest;

import io.m31r.release.config.FreezeSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ConflictException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.freeze.DatasetFreezeJob;
import io.m31r.release.freeze.DatasetSelection;
import io.m31r.release.model.bundle.FileDigests;
import io.m31r.release.model.config.ModelConfigReader;
import io.m31r.release.model.safetensors.SafetensorsFile;
import io.m31r.release.pipeline.FrozenInputs;
import io.m31r.release.pipeline.Traceability;
import io.m31r.release.pipeline.TrainingSeed;
import io.m31r.release.process.LocalHost;
import io.m31r.release.signing.SigningKey;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * {@code m31r attest-rebuild}: the record of a rebuild done on this machine. The inputs are frozen
 * exactly as export freezes them (the dataset by {@link DatasetFreezeJob}, the tokenizer and config
 * by SHA-256, the seed by {@link TrainingSeed}), and the rebuilt model must trace to them as a
 * candidate must ({@link Traceability}), so a record that export will refuse is not written.
 */
public final class RebuildAttester {
  /** What to attest: the rebuilt model, the inputs it was trained from, and how. */
  public record Request(
      Path model, Path trainingConfig, String dataset, Path tokenizer, String command, String device, Optional<SigningKey> key, Path out) {}

  private final SparkSession spark;
  private final FreezeSettings freeze;
  private final PrintStream progress;

  public RebuildAttester(SparkSession spark, FreezeSettings freeze, PrintStream progress) {
    this.spark = spark;
    this.freeze = freeze;
    this.progress = progress;
  }

  public RebuildRecord attest(Request req) {
    if (Files.exists(req.out())) {
      throw new ConflictException("rebuild attestation " + req.out() + " already exists; it was left untouched");
    }
    requireFile("--model", req.model());
    requireFile("--config", req.trainingConfig());
    requireFile("--tokenizer", req.tokenizer());
    if (req.command().isBlank()) {
      throw new BadInputException("--command: must name the command that rebuilt the model");
    }
    if (req.device().isBlank()) {
      throw new BadInputException("--device: must be cpu or the GPU's name");
    }
    String configName = String.valueOf(req.trainingConfig().getFileName());
    String yaml;
    try {
      yaml = Files.readString(req.trainingConfig(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BadInputException("--config " + req.trainingConfig() + ": cannot be read: " + e.getMessage());
    }
    ModelConfigReader.parse(yaml, configName);
    Map<String, String> recorded = SafetensorsFile.open(req.model()).metadata();
    Optional<Long> configSeed = TrainingSeed.configSeed(yaml, configName);
    FrozenInputs inputs = new FrozenInputs(
        datasetRoot(req.dataset()), FileDigests.sha256(req.tokenizer()), FileDigests.sha256(req.trainingConfig()),
        TrainingSeed.of(recorded, yaml, configName));
    Traceability.check(recorded, new FrozenInputs(
        inputs.datasetSha256(), inputs.tokenizerSha256(), inputs.configSha256(), configSeed.orElse(inputs.seed())));
    RebuildRecord record = new RebuildRecord(
        FileDigests.sha256(req.model()),
        new RebuildRecord.Inputs(inputs.datasetSha256(), inputs.tokenizerSha256(), inputs.configSha256(), inputs.seed()),
        req.command(),
        new RebuildRecord.Machine(host(), cpuModel(), req.device()));
    RebuildAttestation.write(req.out(), RebuildAttestation.render(record, req.key()));
    return record;
  }

  /** The dataset's root digest by the freeze job export runs; its manifest goes to a temporary folder. */
  private String datasetRoot(String dataset) {
    Path tmp;
    try {
      tmp = Files.createTempDirectory("m31r-attest-");
    } catch (IOException e) {
      throw new InfrastructureException("cannot create a temporary folder: " + e.getMessage(), e);
    }
    try {
      return new DatasetFreezeJob(spark, freeze, progress)
          .run(new DatasetFreezeJob.Request(new DatasetSelection(dataset, null, false), tmp.resolve("manifest.json").toString(), null))
          .manifest().rootSha256();
    } finally {
      // A leftover manifest in the temporary folder changes nothing; the OS cleaner removes it.
      io.m31r.release.fs.FileTrees.deleteQuietly(tmp);
    }
  }

  private static void requireFile(String option, Path p) {
    if (!Files.isRegularFile(p)) {
      throw new BadInputException(option + ": no file at " + p);
    }
  }

  private static String host() {
    return LocalHost.name();
  }

  /** {@code model name} from /proc/cpuinfo (Linux), else the JVM's architecture name. */
  static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      Optional<String> name = lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
          .filter(s -> !s.isEmpty()).findFirst();
      if (name.isPresent()) {
        return name.get();
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // Not Linux, or no /proc: fall back to the architecture.
    }
    return System.getProperty("os.arch");
  }
}
