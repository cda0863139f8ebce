package io.m31r.release.cli;

import io.m31r.release.config.ReleaseConfig;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.pipeline.ExportRequest;
import io.m31r.release.pipeline.ReproducePipeline;
import io.m31r.release.process.SelfLauncher;
import io.m31r.release.spark.SparkSessions;
import io.m31r.release.version.Semver;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "reproduce",
    mixinStandardHelpOptions = true,
    description = {
      "Rebuilds a published release from its recorded inputs into a temporary folder (dataset re-frozen,",
      "model retrained from scratch with release.rebuild_command, benchmark re-run, package re-made) and",
      "compares it file by file with the published one. Measurements that cannot repeat (latency, memory)",
      "are excluded by name. Exit 0 when everything else is identical, 4 naming the differing files."
    })
final class ReproduceCommand extends SparkCommand {
  @Parameters(index = "0", paramLabel = "VERSION", description = "The published version to reproduce.")
  String version;

  @Mixin ProgressOption progressOption;

  @Override
  int run(SparkSessions.Handle spark, ReleaseConfig config) {
    Semver v = Semver.parse(version);
    Path configFile = parent.configFile();
    if (configFile == null) {
      throw new BadInputException("reproduce needs --config FILE (the release.yaml the release was exported with)");
    }
    ExportRequest req = new ExportRequest(
        v, ReleaseType.A, config, configFile.toAbsolutePath().normalize().getParent(), ToolVersion.get(), SelfLauncher.command());
    req.settings();
    ReproducePipeline.Outcome o = new ReproducePipeline(spark.session(), progressOption.target(this)).reproduce(req);
    PrintWriter w = out();
    for (ReproducePipeline.FileResult f : o.files()) {
      w.println((f.identical() ? "same " : "DIFF ") + f.file() + ": " + f.detail());
    }
    w.println("excluded by name (measurements that cannot repeat): " + String.join(", ", o.excluded()));
    w.flush();
    if (!o.differing().isEmpty()) {
      throw new IntegrityException("reproduce " + v + ": " + o.differing().size() + " file(s) differ: "
          + o.differing().stream().map(ReproducePipeline.FileResult::file).collect(Collectors.joining(", ")));
    }
    w.println("reproduced " + v + ": identical");
    return 0;
  }
}
