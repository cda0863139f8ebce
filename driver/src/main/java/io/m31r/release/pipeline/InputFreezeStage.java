package io.m31r.release.pipeline;

import io.m31r.release.config.FreezeSettings;
import io.m31r.release.freeze.DatasetFreezeJob;
import io.m31r.release.freeze.DatasetSelection;
import io.m31r.release.model.config.ModelConfigReader;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseType;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Sections 7-9: freezes the dataset on the cluster (every shard hashed, manifest written to the
 * export's work folder), and the candidate weights, tokenizer and training config (their SHA-256
 * are their versions) as copies in a {@link FrozenBundle}; then checks them against what the
 * checkpoint says it was trained on, and, for a patch, against the previous release.
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
    FrozenBundle bundle = FrozenBundle.freeze(in.model(), in.tokenizer(), in.trainingConfig(), workDir.resolve("candidate"));
    // Every check below reads the frozen copies, not the sources: what is checked is what is
    // released. The config must describe the shipped weights before anything is hashed at scale.
    ShippedFileScan.Read read = ShippedFileScan.require(bundle.model(), bundle.tokenizer(), bundle.config(), List.of());
    String configName = String.valueOf(in.trainingConfig().getFileName());
    String yaml = read.configText();
    ModelConfigReader.parse(yaml, configName);
    DatasetFreezeJob.Result dataset =
        new DatasetFreezeJob(spark, settings, progress)
            .run(new DatasetFreezeJob.Request(
                new DatasetSelection(in.dataset(), null, false),
                workDir.resolve("dataset-manifest.json").toString(),
                workDir.resolve("dataset.sha256sum").toString()));
    Map<String, String> recorded = read.modelMetadata();
    Optional<Long> configSeed = TrainingSeed.configSeed(yaml, configName);
    long seed = TrainingSeed.of(recorded, configSeed, configName);
    FrozenArtifacts frozen = new FrozenArtifacts(dataset.manifest(), in.dataset(), bundle, recorded, seed);
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
