package io.m31r.release.cli;

import io.m31r.release.config.ReleaseConfig;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.freeze.DatasetVerifyJob;
import io.m31r.release.spark.SparkSessions;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "verify-dataset",
    mixinStandardHelpOptions = true,
    description = {
      "Re-hashes a frozen dataset in parallel and names every changed, missing and extra shard.",
      "Exit 0 when identical to the manifest, 4 otherwise."
    })
final class VerifyDatasetCommand extends SparkCommand {
  @Option(names = "--manifest", required = true, paramLabel = "MANIFEST_URI", description = "The manifest written by freeze.")
  String manifest;

  @Option(names = "--dataset", paramLabel = "URI",
      description = "Check this location instead of the one recorded in the manifest (e.g. a copy).")
  String dataset;

  @Mixin ProgressOption progress;

  @Override
  int run(SparkSessions.Handle spark, ReleaseConfig config) {
    DatasetVerifyJob.Result r =
        new DatasetVerifyJob(spark.session(), config.freeze(), progress.target(this)).run(manifest, dataset);
    PrintWriter w = out();
    for (DatasetVerifyJob.Changed c : r.changed()) {
      w.println("changed: " + c.path() + (c.expectedSize() != c.actualSize()
          ? " (size " + c.expectedSize() + " -> " + c.actualSize() + ")"
          : " (sha256 " + c.expectedSha256() + " -> " + c.actualSha256() + ")"));
    }
    r.missing().forEach(p -> w.println("missing: " + p));
    r.extra().forEach(p -> w.println("extra: " + p));
    if (r.identical()) {
      w.println("ok: " + r.manifest().shardCount() + " shards identical to " + r.manifest().datasetVersion());
      return ExitCode.OK.code();
    }
    w.flush();
    err().println(String.format(
        "m31r: dataset %s differs from %s: %d changed, %d missing, %d extra",
        r.datasetUri(), r.manifest().datasetVersion(), r.changed().size(), r.missing().size(), r.extra().size()));
    return ExitCode.INTEGRITY.code();
  }
}
