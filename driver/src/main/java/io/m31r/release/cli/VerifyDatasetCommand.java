package io.m31r.release.cli;

import io.m31r.release.config.ReleaseConfig;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.freeze.DatasetVerifyJob;
import io.m31r.release.spark.SparkSessions;
import java.io.PrintWriter;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.registry.ReleaseRoot;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "verify-dataset",
    mixinStandardHelpOptions = true,
    description = {
      "Re-hashes a frozen dataset in parallel and names every changed, missing (disappeared) and extra (appeared)",
      "shard, against a freeze manifest or against the listing a release kept (--release VERSION --root URI).",
      "Exit 0 when identical to the manifest, 4 otherwise."
    })
final class VerifyDatasetCommand extends SparkCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--manifest", required = true, paramLabel = "MANIFEST_URI", description = "The manifest written by freeze.")
    String manifest;

    @Option(names = "--release", required = true, paramLabel = "VERSION",
        description = "The dataset as release VERSION froze it (the listing kept at ROOT/manifests/VERSION.sha256); needs --root.")
    String release;
  }

  @Option(names = "--root", paramLabel = "URI", description = "With --release: the release root.")
  String root;

  @Option(names = "--dataset", paramLabel = "URI",
      description = "Check this location instead of the one recorded in the manifest (e.g. a copy).")
  String dataset;

  @Mixin ProgressOption progress;

  @Override
  int run(SparkSessions.Handle spark, ReleaseConfig config) {
    DatasetVerifyJob stage = new DatasetVerifyJob(spark.session(), config.freeze(), progress.target(this));
    DatasetVerifyJob.Result r;
    if (source.manifest != null) {
      r = stage.run(source.manifest, dataset);
    } else {
      if (root == null) {
        throw new BadInputException("verify-dataset --release: needs --root URI (the release root)");
      }
      ReleasedListing listing = ReleasedListing.read(
          ReleaseRoot.at(root, spark.session().sparkContext().hadoopConfiguration()), source.release);
      r = stage.runListing(listing.shards(), dataset != null ? dataset : listing.datasetUri(), listing.datasetVersion());
    }
    PrintWriter w = out();
    for (DatasetVerifyJob.Changed c : r.changed()) {
      w.println("changed: " + c.path() + (c.expectedSize() != c.actualSize()
          ? " (size " + c.expectedSize() + " -> " + c.actualSize() + ")"
          : " (sha256 " + c.expectedSha256() + " -> " + c.actualSha256() + ")"));
    }
    r.missing().forEach(p -> w.println("missing: " + p));
    r.extra().forEach(p -> w.println("extra: " + p));
    if (r.identical()) {
      w.println("ok: " + r.shardCount() + " shards identical to " + r.datasetVersion());
      return ExitCode.OK.code();
    }
    w.flush();
    err().println(String.format(
        "m31r: dataset %s differs from %s: %d changed, %d missing, %d extra",
        r.datasetUri(), r.datasetVersion(), r.changed().size(), r.missing().size(), r.extra().size()));
    return ExitCode.INTEGRITY.code();
  }
}
