package io.m31r.release.pipeline;

import io.m31r.release.config.FreezeSettings;
import io.m31r.release.freeze.DatasetFreezeJob;
import io.m31r.release.freeze.DatasetSelection;
import io.m31r.release.model.bundle.FileDigests;
import io.m31r.release.model.config.ModelConfigReader;
import io.m31r.release.model.safetensors.SafetensorsFile;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseType;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Sections 7-9: freezes the dataset on the cluster (every shard hashed, manifest written to the
 * export's work folder), the tokenizer and the training config (their SHA-256 are their
 * versions) and the candidate weights; then checks them against what the checkpoint says it was
 * trained on, and, for a patch, against the previous release.
 */
final class InputFreezeStage {
  private final SparkSession spark;
  private final FreezeSettings settings;
  private final PrintStream progress;

  InputFreezeStage(SparkSession spark, FreezeSettings settings, PrintStream progress) {
    this.spark = spark;
    this.settings = settings;
    this.progress = progress;
  }

  FrozenArtifacts run(ReleaseInputs in, Path workDir, ReleaseType type, Optional<ReleaseMetadata> previous) {
    // The config must describe the shipped weights before anything is hashed at scale.
    String configName = String.valueOf(in.trainingConfig().getFileName());
    String yaml;
    try {
      yaml = Files.readString(in.trainingConfig());
    } catch (IOException e) {
      throw new io.m31r.release.failure.InfrastructureException("cannot read " + in.trainingConfig() + ": " + e.getMessage(), e);
    }
    ModelConfigReader.parse(yaml, configName);
    DatasetFreezeJob.Result dataset =
        new DatasetFreezeJob(spark, settings, progress)
            .run(new DatasetFreezeJob.Request(
                new DatasetSelection(in.dataset(), null, false),
                workDir.resolve("dataset-manifest.json").toString(),
                workDir.resolve("dataset.sha256sum").toString()));
    Map<String, String> recorded = SafetensorsFile.open(in.model()).metadata();
    Optional<Long> configSeed = TrainingSeed.configSeed(yaml, configName);
    long seed = TrainingSeed.of(recorded, configSeed, configName);
    FrozenArtifacts frozen =
        new FrozenArtifacts(
            dataset.manifest(), in.dataset(), FileDigests.sha256(in.tokenizer()), FileDigests.sha256(in.trainingConfig()),
            FileDigests.sha256(in.model()), recorded, seed);
    Traceability.check(
        recorded, new FrozenInputs(
            frozen.dataset().rootSha256(), frozen.tokenizerSha256(), frozen.configSha256(), configSeed.orElse(seed)));
    PatchRule.check(
        type,
        previous.map(p -> new ReleaseFingerprint(p.modelHash(), p.tokenizerVersion(), p.datasetVersion())),
        new ReleaseFingerprint(frozen.modelSha256(), frozen.tokenizerSha256(), frozen.dataset().rootSha256()));
    return frozen;
  }
}
