package io.m31r.release.cli;

import io.m31r.release.config.ReleaseConfig;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.logging.EventLog;
import io.m31r.release.logging.WriterOutputStream;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.pipeline.ExportOutcome;
import io.m31r.release.pipeline.ExportRequest;
import io.m31r.release.pipeline.ReleasePipeline;
import io.m31r.release.process.SelfLauncher;
import io.m31r.release.spark.SparkSessions;
import io.m31r.release.version.Semver;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "export",
    description = {
      "Makes a release: preflight (version, clean git tree, free tag, no open-work markers at HEAD, no secrets or pickle),",
      "freeze (dataset on the cluster, tokenizer, config), tests gate (JUnit XML), benchmark (full suite on",
      "the executors, gated on targets and on the previous release), rebuild from scratch (identical model",
      "hash), package (six files), validate (load, generate, compile), tag, publish atomically, index, push tag.",
      "A rerun of a published version with identical inputs completes what is missing and exits 0",
      "('already released, identical'); other inputs exit 5; while another run holds the version, exit 1.",
      "Inputs come from the 'release:' section of --config (see docs/configuration.md)."
    })
final class ExportCommand extends SparkCommand {
  // --version names the release here, so the standard -V/--version (tool version) is not mixed in.
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--version", required = true, paramLabel = "X.Y.Z", description = "Semantic version of the release.")
  String version;

  @Option(names = "--type", required = true, paramLabel = "A|B|C|D",
      description = "A model release, B tooling, C patch (same model, tokenizer, dataset), D experimental.")
  String type;

  @Mixin ProgressOption progressOption;

  @Option(names = "--dry-run",
      description = "Check in seconds what would fail before hours of work (preflight, staging writable and visible to "
          + "every executor, GPU probe); writes nothing. Exit 0, or the code of the first failure.")
  boolean dryRun;

  @Override
  int run(SparkSessions.Handle spark, ReleaseConfig config) {
    Semver v = Semver.parse(version);
    ReleaseType t = ReleaseType.parse(type);
    Path configFile = parent.configFile();
    if (configFile == null) {
      throw new BadInputException("export needs --config FILE (a release.yaml with a 'release:' section)");
    }
    Path baseDir = configFile.toAbsolutePath().normalize().getParent();
    ExportRequest req = new ExportRequest(v, t, config, baseDir, ToolVersion.get(), SelfLauncher.command());
    req.settings();
    if (dryRun) {
      try (EventLog log = EventLog.fromEnvironment()) {
        PrintWriter w = out();
        new ReleasePipeline(spark.session(), progressOption.target(this), log).dryRun(req, new java.io.PrintStream(
            new WriterOutputStream(w), true, java.nio.charset.StandardCharsets.UTF_8));
        w.println("dry run: export " + v + " would start");
        w.flush();
      }
      return 0;
    }
    ExportOutcome o;
    try (EventLog log = EventLog.fromEnvironment()) {
      o = new ReleasePipeline(spark.session(), progressOption.target(this), log).export(req);
    }
    ReleaseMetadata m = o.metadata();
    var quality = m.metricsSummary().path("quality");
    var perf = m.metricsSummary().path("performance");
    PrintWriter w = out();
    if (o.alreadyReleased()) {
      w.println("already released, identical: " + m.version() + " at " + o.release().dir()
          + " (completed what was missing: publish record, index, CURRENT, tag, push, report)");
    }
    w.println("released: " + m.version() + " (type " + m.releaseType().name() + ", " + m.releaseType().description() + ") at " + o.release().dir());
    w.println("dataset version: " + m.datasetVersion());
    w.println("model: " + m.modelHash() + (!m.rebuild().checked() ? " (rebuild not checked: experiment)"
        : switch (m.rebuild().effectiveKind()) {
          case ATTESTED -> " (rebuilt elsewhere: the signed record's model is identical)";
          case EXECUTOR -> " (rebuilt from scratch on an executor: identical)";
          case LOCAL -> " (rebuilt from scratch: identical)";
          case NONE -> " (rebuild not checked)";
        }));
    w.println(String.format(Locale.ROOT, "compile rate: %.4f", quality.path("compile_rate").asDouble()));
    w.println(String.format(Locale.ROOT, "pass@1: %.4f", quality.path("pass_at_k").path("1").asDouble()));
    if (perf.has("ms_per_token")) {
      w.println(String.format(Locale.ROOT, "ms/token: %.3f", perf.path("ms_per_token").asDouble()));
    }
    w.println("tag: " + m.gitTag() + " on " + m.gitCommit());
    w.println("report: " + o.report());
    w.flush();
    return 0;
  }
}
