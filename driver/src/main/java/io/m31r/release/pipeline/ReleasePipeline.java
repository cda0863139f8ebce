package io.m31r.release.pipeline;

import io.m31r.release.fs.FileTrees;
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
import io.m31r.release.reuse.ReuseArea;
import io.m31r.release.registry.PublishedRelease;
import io.m31r.release.registry.ReleaseIndex;
import io.m31r.release.registry.ReleasePublisher;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.signing.KeySource;
import io.m31r.release.failure.FaultInjection;
import io.m31r.release.failure.OutcomeUnknownException;
import io.m31r.release.git.RemoteAccess;
import io.m31r.release.git.RemoteTagCheck;
import io.m31r.release.git.TagPusher;
import io.m31r.release.registry.ExportLease;
import io.m31r.release.registry.Leftovers;
import io.m31r.release.registry.ReleaseLocation;
import io.m31r.release.version.Semver;
import java.util.UUID;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * {@code m31r export}: the release lifecycle of section 29 as one sequence of stages,
 * <pre>
 * preflight (+ lease) -> freeze -> tests -> benchmark -> rebuild -> package -> validate -> sign -> tag -> publish -> index (+ push tag)
 * </pre>
 * A rerun of a version already published stops after freeze: identical inputs complete what is
 * missing and succeed, other inputs are a conflict ({@link IdenticalRerun}).
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
    Semver version = req.version();
    Path work = plannedWorkDir(version);
    Run run = new Run();
    try (GitWorkspace git = GitWorkspace.open(in.gitRepository())) {
      PreflightResult pre = clock.run("preflight", () -> {
        PreflightResult r = new PreflightStage().run(req, in, root, git);
        Changelog.since(git, req.version(), List.of()).requireNotEmpty();
        if (s.gitRemote() != null) {
          new RemoteTagCheck().check(RemoteAccess.of(s.gitRemote(), req.baseDir()), req.tag(), r.head().commit());
        }
        for (ExportCheck check : ExportChecks.of(spark.sparkContext(), s, in, root, progress)) {
          check.run();
        }
        // The lease comes before any heavy stage and before the work folder: the loser of two
        // concurrent exports leaves within seconds, with nothing written (not even a report).
        run.lease = ExportLease.acquire(root, version, work);
        // Under the lease an object-store upload without a record is abandoned: publish anew.
        new Leftovers(root).clearUncommittedUpload(version);
        run.rerun = root.occupied(version);
        createWorkDir(work);
        return r;
      });
      report.head(pre.head());
      Optional<ReuseArea> reuse = ReuseArea.open(spark.sparkContext(), req.toolVersion(), why -> report.fact("reused work", why));
      var attestation = RebuildAttestationSource.resolve(s, req.baseDir());
      FrozenArtifacts frozen = clock.run("freeze", () ->
          new InputFreezeStage(spark, req.config().freeze(), progress).run(in, work, req.type(), pre.previous()));
      report.frozen(frozen);
      FaultInjection.at("after-freeze");
      if (run.rerun) {
        return completeRerun(req, root, git, pre, frozen, report, clock, tagSigner);
      }
      TestSummary tests = clock.run("tests", () ->
          new TestsStage(progress).run(s, in, req.launcher(), pre.head().commit(), req.type(), work));
      BenchmarkStage.Outcome benchmark = clock.run("benchmark", () -> {
        FaultInjection.at("benchmark");
        BenchmarkStage.Outcome r = new BenchmarkStage(spark, progress).run(s, in, frozen.bundle(), root, work, pre.previous(), reuse);
        report.bench(r);
        ReleaseGates.enforce(r.candidate().gates());
        return r;
      });
      BenchRun.Result bench = benchmark.candidate();
      ReleaseMetadata.Rebuild rebuild = clock.run("rebuild", () -> {
        FaultInjection.at("rebuild");
        if (attestation.isPresent()) {
          return new RebuildStage(progress).attested(
              attestation.get(), frozen, req.type(), java.time.Instant.parse(ReleaseFacts.releaseDate(pre.head().commitTime())));
        }
        return rebuild(req, in, root, frozen, work, reuse, report);
      });
      ObjectNode summary = MetricsSummary.of(benchmark);
      Changelog changelog = Changelog.since(git, req.version(), MetricsSummary.changelogLines(summary));
      ReleaseMetadata metadata = new ReleaseFacts(req.version(), req.type(), req.toolVersion(), pre.head(), frozen, tests,
          summary, rebuild).metadata(s);
      // Staged in the area it is published to: the verifier checks that an experiment sits under experiments/.
      StagedRelease staged = clock.run("package", () ->
          new ReleasePackager().stage(
              new PackageInputs(frozen.bundle().model(), frozen.bundle().tokenizer(), frozen.bundle().config(), metadata,
                  ReleaseReadme.render(metadata, changelog.render()), PackageInputs.Transfer.MOVE),
              work.resolve("staged").resolve(req.type().area()).resolve(version.toString())));
      ValidationStage.Smoke smoke = clock.run("validate", () ->
          new ValidationStage().run(staged, s.smokePrompt(), s.bench().maxNewTokens(), work));
      clock.run("sign", () -> sign.run(staged, root, metadata, ProvenanceSource.of(req.config(), frozen, bench), progress));
      clock.run("tag", () -> {
        run.createdTag = tag(git, req, pre, changelog.render(), s.tagger(), tagSigner);
        return null;
      });
      FaultInjection.at("after-tag");
      PublishedRelease published = clock.run("publish", () -> {
        // Before the folder and its record: the record pins the digest of every sidecar present.
        DatasetManifestSidecar.write(root, version, frozen.dataset().sha256sumListing());
        return new ReleasePublisher().publish(staged, root, req.version(), req.type() == ReleaseType.D);
      });
      run.published = true;
      // Published: what a rerun could have reused is not needed again.
      reuse.ifPresent(ReuseArea::forgetTouched);
      FaultInjection.at("after-publish");
      clock.run("index", () -> {
        new ReleaseIndex().rebuild(root);
        pushTag(git, s, req);
        return null;
      });
      String html = report.write(ReportBuilder.PUBLISHED, clock.timings());
      return new ExportOutcome(published, metadata, html, smoke.completion(), false);
    } catch (ReleaseException e) {
      String stage = clock.current();
      if (!run.published && run.createdTag != null) {
        removeTagOfFailedPublish(git(in), req, root, run, e);
      }
      // A preflight refusal (a lease held by another run among them) touches nothing, not even a
      // report; nor does a rerun of a published version: the report there is the publishing run's.
      if (!stage.equals("preflight") && !run.rerun) {
        report.writeQuietly("stage " + stage + ": " + e.getMessage(), clock.timings(), log);
      }
      throw new StageFailedException(stage, e);
    } finally {
      FileTrees.deleteQuietly(work);
      if (run.lease != null) {
        run.lease.close();
      }
    }
  }

  /**
   * The rebuild from scratch, as configured, unless a failed run with the same candidate, frozen
   * inputs and command left its identical verdict in the reuse area; a verdict reached here is kept
   * there until the release is published.
   */
  private ReleaseMetadata.Rebuild rebuild(
      ExportRequest req, ReleaseInputs in, ReleaseRoot root, FrozenArtifacts frozen, Path work, Optional<ReuseArea> area,
      ReportBuilder report) {
    ReleaseSettings s = req.settings();
    Optional<RebuildReuse> reuse = s.rebuildCommand().isEmpty() ? Optional.empty() : area.map(a -> new RebuildReuse(a, s, frozen));
    Optional<ReleaseMetadata.Rebuild> kept =
        reuse.flatMap(r -> r.find(why -> report.fact("rebuild", "retrained, the kept verdict not reused: " + why)));
    if (kept.isPresent()) {
      String said = "reused the identical verdict a failed run kept in " + area.get().dir() + " (not retrained)";
      report.fact("rebuild", said);
      if (progress != null) {
        progress.println("rebuild: " + said);
      }
      return kept.get();
    }
    RebuildStage stage = new RebuildStage(progress);
    ReleaseMetadata.Rebuild r = s.rebuildOnExecutor()
        ? stage.onExecutor(spark.sparkContext(), s.rebuildCommand(), in.trainingConfig(), in.model(), frozen.modelSha256(), frozen,
            root.stagingArea(), work)
        : stage.run(s.rebuildCommand(), req.launcher(), in.trainingConfig(), in.model(), frozen.modelSha256(), req.type(), work);
    if (r.checked()) {
      reuse.ifPresent(x -> x.keep(r));
    }
    return r;
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
      PreflightResult pre = new PreflightStage().run(req, in, root, git);
      Changelog.since(git, req.version(), List.of()).requireNotEmpty();
      out.println("ok: preflight");
      dryStep(out, "signing key", () -> {
        boolean signs = SignStage.prepare(s.signing(), req.baseDir(), KeySource.system()).signs();
        boolean signsTag = TagSigning.prepare(s.tagSigning(), req.baseDir(), KeySource.system()).isPresent();
        return (signs ? "release key readable" : "no release key: the release would be published unsigned")
            + (signsTag ? "; tag key readable" : "");
      });
      if (s.gitRemote() != null) {
        dryStep(out, "git remote", () ->
            "reachable, tag " + req.tag() + " "
                + new RemoteTagCheck().check(RemoteAccess.of(s.gitRemote(), req.baseDir()), req.tag(), pre.head().commit()));
      }
      for (ExportCheck check : ExportChecks.of(spark.sparkContext(), s, in, root, progress)) {
        dryStep(out, check.name(), check::run);
      }
    }
  }

  /** One dry-run check: printed as it passes; the first failure is printed and propagates with its exit code. */
  private static void dryStep(PrintStream out, String name, java.util.function.Supplier<String> check) {
    try {
      out.println("ok: " + name + ": " + check.get());
    } catch (ReleaseException e) {
      out.println("FAILED: " + name + ": " + e.getMessage());
      throw e;
    }
  }

  /** What the stages share beyond their return values. */
  private static final class Run {
    ExportLease lease;
    boolean rerun;
    /** The tag object this run created (not one it reused), or null. */
    String createdTag;
    boolean published;
  }

  /** The version is published already: identical inputs complete it (exit 0), other inputs exit 5. */
  private ExportOutcome completeRerun(
      ExportRequest req, ReleaseRoot root, GitWorkspace git, PreflightResult pre, FrozenArtifacts frozen,
      ReportBuilder report, StageClock clock, java.util.Optional<java.util.function.Function<byte[], String>> tagSigner) {
    Semver version = req.version();
    ReleaseLocation location = IdenticalRerun.location(root, version);
    ReleaseMetadata m = IdenticalRerun.requireIdentical(root, location, frozen, pre.head().commit(), req.type());
    log.info("rerun", version + " is " + IdenticalRerun.MESSAGE + "; completing what is missing");
    IdenticalRerun.completeRecord(root, version, location);
    new ReleaseIndex().rebuild(root);
    if (!git.tagExists(req.tag())) {
      Changelog changelog = Changelog.since(git, version, MetricsSummary.changelogLines(m.metricsSummary()));
      tag(git, req, pre, changelog.render(), req.settings().tagger(), tagSigner);
    }
    pushTag(git, req.settings(), req);
    String html = report.existing()
        .orElseGet(() -> report.write(ReportBuilder.PUBLISHED, clock.timings()));
    return new ExportOutcome(new PublishedRelease(location.version(), location.dir(), location.experimental()), m, html, "", true);
  }

  private static void pushTag(GitWorkspace git, ReleaseSettings s, ExportRequest req) {
    if (s.gitRemote() != null) {
      new TagPusher().push(git, RemoteAccess.of(s.gitRemote(), req.baseDir()), req.tag());
    }
  }

  /**
   * An export that failed between tagging and a successful publish, with nothing of its own
   * visible, takes back the tag it created: the tag was never pushed (pushing follows publish), and
   * must not outlive a release that never was. An unknown outcome, or our folder now in place (a
   * publish record still missing), keeps it for the rerun that completes the release.
   */
  private static void removeTagOfFailedPublish(GitWorkspace git, ExportRequest req, ReleaseRoot root, Run run, ReleaseException e) {
    if (run.createdTag == null || e instanceof OutcomeUnknownException) {
      return;
    }
    try (git) {
      if (root.occupied(req.version()) && !(e instanceof ConflictException)) {
        return;
      }
      git.deleteOwnTag(req.tag(), run.createdTag);
    } catch (ReleaseException unreadable) {
      // The tag stays; the rerun accepts it only on the same commit with the same message.
    }
  }

  /** The repository again, for the failure path (the stages' handle is closed by then). */
  private static GitWorkspace git(ReleaseInputs in) {
    return GitWorkspace.open(in.gitRepository());
  }

  /** Tags HEAD; returns the tag object created, or null when an interrupted run's identical tag was reused. */
  private static String tag(GitWorkspace git, ExportRequest req, PreflightResult pre, String message, ReleaseSettings.Tagger who,
      java.util.Optional<java.util.function.Function<byte[], String>> signer) {
    if (git.tagExists(req.tag())) {
      String existing = git.tagMessage(req.tag()).orElse("");
      if (!pre.tagExistsFromInterruptedRun() || !existing.strip().equals(message.strip())) {
        throw new ConflictException(
            "tag " + req.tag() + " already exists on HEAD with another message; tags are never moved or rewritten");
      }
      return null;
    }
    PersonIdent tagger = new PersonIdent(who.name(), who.email(), pre.head().commitTime(), ZoneOffset.UTC);
    new ReleaseTagger().tag(git, req.tag(), pre.head().commit(), message, tagger, signer);
    return git.tagObjectId(req.tag()).orElse(null);
  }

  /** Where this run's work folder will be; recorded in its lease before it is created. */
  private static Path plannedWorkDir(Semver version) {
    return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath()
        .resolve("m31r-export-" + version + "-" + UUID.randomUUID());
  }

  private static void createWorkDir(Path work) {
    try {
      Files.createDirectories(work.getParent());
      Files.createDirectory(work);
    } catch (IOException e) {
      throw new InfrastructureException("cannot create a work folder: " + e.getMessage(), e);
    }
  }
}
