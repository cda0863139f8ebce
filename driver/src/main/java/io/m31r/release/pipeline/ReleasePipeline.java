package io.m31r.release.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.bench.BenchRun;
import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.ConflictException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.ReleaseException;
import io.m31r.release.git.Changelog;
import io.m31r.release.git.GitWorkspace;
import io.m31r.release.git.ReleaseTagger;
import io.m31r.release.logging.EventLog;
import io.m31r.release.metrics.ReleaseGates;
import io.m31r.release.packaging.PackageInputs;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleasePackager;
import io.m31r.release.packaging.ReleaseReadme;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.packaging.StagedRelease;
import io.m31r.release.preflight.TestSummary;
import io.m31r.release.registry.PublishedRelease;
import io.m31r.release.registry.ReleaseIndex;
import io.m31r.release.registry.ReleasePublisher;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.signing.KeySource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * {@code m31r export}: the release lifecycle of section 29 as one sequence of stages,
 * <pre>
 * preflight -> freeze -> tests -> benchmark -> rebuild -> package -> validate -> sign -> tag -> publish -> index
 * </pre>
 * Each stage either returns what the next needs or throws; nothing reaches the release root before
 * publish, whose single atomic step makes the release visible. Work files live in a temporary
 * folder removed at the end. Tagging precedes publishing as section 29 orders it: a publish that
 * fails after the tag leaves the tag on the released commit with this changelog, and a rerun of
 * the same export accepts exactly that tag instead of refusing it.
 */
public final class ReleasePipeline {
  static final List<String> STAGES =
      List.of("preflight", "freeze", "tests", "benchmark", "rebuild", "package", "validate", "sign", "tag", "publish", "index");

  private final SparkSession spark;
  private final PrintStream progress;
  private final EventLog log;

  public ReleasePipeline(SparkSession spark, PrintStream progress, EventLog log) {
    this.spark = spark;
    this.progress = progress;
    this.log = log;
  }

  public ExportOutcome export(ExportRequest req) {
    ReleaseSettings s = req.settings();
    ReleaseInputs in = ReleaseInputs.resolve(s, req.baseDir());
    ReleaseRoot root = ReleaseRoot.at(in.root(), spark.sparkContext().hadoopConfiguration());
    StageClock clock = new StageClock(log, STAGES.size());
    ReportBuilder report = new ReportBuilder(req, in, root);
    SignStage sign = SignStage.prepare(s.signing(), req.baseDir(), KeySource.system());
    var tagSigner = TagSigning.prepare(s.tagSigning(), req.baseDir(), KeySource.system());
    Path work = createWorkDir();
    try (GitWorkspace git = GitWorkspace.open(in.gitRepository())) {
      PreflightResult pre = clock.run("preflight", () -> {
        PreflightResult r = new PreflightStage().run(req, in, root, git);
        Changelog.since(git, req.version(), List.of()).requireNotEmpty();
        for (ExportCheck check : ExportChecks.of(spark.sparkContext(), s, in, root, progress)) {
          check.run();
        }
        return r;
      });
      report.head(pre.head());
      FrozenArtifacts frozen = clock.run("freeze", () ->
          new InputFreezeStage(spark, req.config().freeze(), progress).run(in, work, req.type(), pre.previous()));
      report.frozen(frozen);
      TestSummary tests = clock.run("tests", () ->
          new TestsStage(progress).run(s, in, req.launcher(), pre.head().commit(), req.type(), work));
      BenchRun.Result bench = clock.run("benchmark", () -> {
        Path bundle = CandidateBundle.write(in, frozen, work.resolve("candidate"));
        BenchRun.Result r =
            new BenchmarkStage(spark, progress).run(s, in, bundle, root.stagingArea().toString(), work, pre.previous());
        report.bench(r, pre.previous());
        ReleaseGates.enforce(r.gates());
        return r;
      });
      ReleaseMetadata.Rebuild rebuild = clock.run("rebuild", () ->
          new RebuildStage(progress).run(s.rebuildCommand(), req.launcher(), in.trainingConfig(), in.model(), frozen.modelSha256(), req.type(), work));
      ObjectNode summary = MetricsSummary.of(bench, pre.previous());
      Changelog changelog = Changelog.since(git, req.version(), MetricsSummary.changelogLines(summary));
      ReleaseMetadata metadata = new ReleaseFacts(req.version(), req.type(), req.toolVersion(), pre.head(), frozen, tests,
          summary, rebuild).metadata(s);
      // Staged in the area it is published to: the verifier checks that an experiment sits under experiments/.
      StagedRelease staged = clock.run("package", () ->
          new ReleasePackager().stage(
              new PackageInputs(in.model(), in.tokenizer(), in.trainingConfig(), metadata,
                  ReleaseReadme.render(metadata, changelog.render())),
              work.resolve("staged").resolve(req.type().area()).resolve(req.version().toString())));
      ValidationStage.Smoke smoke = clock.run("validate", () ->
          new ValidationStage().run(staged, s.smokePrompt(), s.bench().maxNewTokens(), work));
      clock.run("sign", () -> sign.run(staged, root, metadata, req, frozen, bench, progress));
      clock.run("tag", () -> {
        tag(git, req, pre, changelog.render(), s.tagger(), tagSigner);
        return null;
      });
      PublishedRelease published = clock.run("publish", () -> {
        DatasetManifestSidecar.write(root, req.version().toString(), frozen.dataset().sha256sumListing());
        return new ReleasePublisher().publish(staged, root, req.version(), req.type() == ReleaseType.D);
      });
      clock.run("index", () -> {
        new ReleaseIndex().rebuild(root);
        return null;
      });
      String html = report.write(ReportBuilder.PUBLISHED, clock.timings());
      return new ExportOutcome(published, metadata, html, smoke.completion());
    } catch (ReleaseException e) {
      String stage = clock.current();
      // A preflight refusal (an existing version among them) touches nothing, not even a report.
      if (!stage.equals("preflight")) {
        report.writeQuietly("stage " + stage + ": " + e.getMessage(), clock.timings(), log);
      }
      throw new StageFailedException(stage, e);
    } finally {
      deleteQuietly(work);
    }
  }

  /**
   * {@code export --dry-run}: preflight and every {@link ExportCheck}, each printed as it passes;
   * the first failure propagates with its own exit code. Nothing is written that outlives a check.
   */
  public void dryRun(ExportRequest req, PrintStream out) {
    ReleaseSettings s = req.settings();
    ReleaseInputs in = ReleaseInputs.resolve(s, req.baseDir());
    ReleaseRoot root = ReleaseRoot.at(in.root(), spark.sparkContext().hadoopConfiguration());
    try (GitWorkspace git = GitWorkspace.open(in.gitRepository())) {
      new PreflightStage().run(req, in, root, git);
      Changelog.since(git, req.version(), List.of()).requireNotEmpty();
      out.println("ok: preflight");
      for (ExportCheck check : ExportChecks.of(spark.sparkContext(), s, in, root, progress)) {
        try {
          out.println("ok: " + check.name() + ": " + check.run());
        } catch (ReleaseException e) {
          out.println("FAILED: " + check.name() + ": " + e.getMessage());
          throw e;
        }
      }
    }
  }

  private static void tag(GitWorkspace git, ExportRequest req, PreflightResult pre, String message, ReleaseSettings.Tagger who,
      java.util.Optional<java.util.function.Function<byte[], String>> signer) {
    if (pre.tagExistsFromInterruptedRun()) {
      String existing = git.tagMessage(req.tag()).orElse("");
      if (!existing.strip().equals(message.strip())) {
        throw new ConflictException(
            "tag " + req.tag() + " already exists on HEAD with another message; tags are never moved or rewritten");
      }
      return;
    }
    PersonIdent tagger = new PersonIdent(who.name(), who.email(), pre.head().commitTime(), ZoneOffset.UTC);
    new ReleaseTagger().tag(git, req.tag(), pre.head().commit(), message, tagger, signer);
  }

  private static Path createWorkDir() {
    try {
      return Files.createTempDirectory("m31r-export-");
    } catch (IOException e) {
      throw new InfrastructureException("cannot create a work folder: " + e.getMessage(), e);
    }
  }

  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          p.toFile().setWritable(true);
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // A leftover temporary file is harmless; the export's outcome does not depend on it.
        }
      });
    } catch (IOException e) {
      // As above: only temporary files are concerned.
    }
  }
}
