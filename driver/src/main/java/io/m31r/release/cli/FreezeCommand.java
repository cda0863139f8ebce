package io.m31r.release.cli;

import io.m31r.release.config.ReleaseConfig;
import io.m31r.release.freeze.DatasetFreezeJob;
import io.m31r.release.freeze.DatasetManifest;
import io.m31r.release.freeze.DatasetSelection;
import io.m31r.release.spark.SparkSessions;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "freeze",
    mixinStandardHelpOptions = true,
    description = {
      "Freezes a sharded dataset: hashes every shard with SHA-256 in parallel Spark tasks and writes",
      "an immutable manifest whose root digest is the dataset version (sha256:<root>)."
    })
final class FreezeCommand extends SparkCommand {
  @Option(names = "--dataset", required = true, paramLabel = "URI",
      description = "Dataset directory or glob of shards: file:, hdfs:, s3a: or a local path.")
  String dataset;

  @Option(names = "--include", paramLabel = "GLOB",
      description = "Only shards whose path relative to the root matches (** crosses directories).")
  String include;

  @Option(names = "--out", required = true, paramLabel = "MANIFEST_URI",
      description = "Where the manifest is written. An existing one must be byte-identical (exit 5 otherwise).")
  String out;

  @Option(names = "--sha256sum", paramLabel = "FILE",
      description = "Also write a listing that `sha256sum -c` accepts from the dataset root.")
  String sha256sum;

  @Option(names = "--follow-symlinks",
      description = "Follow symbolic links that stay inside the dataset root (refused otherwise).")
  boolean followSymlinks;

  @Mixin ProgressOption progress;

  @Override
  int run(SparkSessions.Handle spark, ReleaseConfig config) {
    DatasetFreezeJob.Result r =
        new DatasetFreezeJob(spark.session(), config.freeze(), progress.target(this))
            .run(new DatasetFreezeJob.Request(new DatasetSelection(dataset, include, followSymlinks), out, sha256sum));
    DatasetManifest m = r.manifest();
    PrintWriter w = out();
    w.println("dataset_version: " + m.datasetVersion());
    w.println("shards: " + m.shardCount());
    w.println("total_bytes: " + m.totalBytes());
    w.println("manifest: " + r.manifestPath() + " (" + describe(r.manifestOutcome()) + ")");
    if (r.listingPath() != null) {
      w.println("sha256sum: " + r.listingPath() + " (" + describe(r.listingOutcome()) + ")");
    }
    double hashS = Math.max(r.hashSeconds(), 1e-9);
    w.println(String.format(Locale.ROOT,
        "timings: spark_startup_s=%.3f plan_s=%.3f hash_s=%.3f throughput_gb_s=%.3f files_per_s=%.1f",
        spark.startupSeconds(), r.planSeconds(), r.hashSeconds(), m.totalBytes() / hashS / 1e9,
        m.shardCount() / hashS));
    return 0;
  }

  private static String describe(io.m31r.release.storage.WriteOutcome o) {
    return switch (o) {
      case CREATED -> "written";
      case ALREADY_IDENTICAL -> "already present, identical";
    };
  }
}
