package io.m31r.release.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.bench.BenchRun;
import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.git.GitHead;
import io.m31r.release.git.GitWorkspace;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.packaging.PackageInputs;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleasePackager;
import io.m31r.release.packaging.ReleaseReadme;
import io.m31r.release.packaging.StagedRelease;
import io.m31r.release.preflight.TestSummary;
import io.m31r.release.registry.ReleaseLocation;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.version.Semver;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * {@code m31r reproduce VERSION} (section 10): rebuilds a published release from the inputs its
 * config names and its metadata records, into a temporary folder, and compares file by file. The
 * model is the one the rebuild command trains from scratch, not the checkpoint on disk; the README's
 * changelog is the tag's message. Measurements that cannot repeat (time, memory) are excluded by
 * name and reported as excluded.
 */
public final class ReproducePipeline {
  /** One file of the package: identical, or how it differs. */
  public record FileResult(String file, boolean identical, String detail) {}

  /** What was compared, and what was excluded from the comparison by name. */
  public record Outcome(Semver version, List<FileResult> files, List<String> excluded) {
    public List<FileResult> differing() {
      return files.stream().filter(f -> !f.identical()).toList();
    }
  }

  private final SparkSession spark;
  private final PrintStream progress;

  public ReproducePipeline(SparkSession spark, PrintStream progress) {
    this.spark = spark;
    this.progress = progress;
  }

  public Outcome reproduce(ExportRequest req) {
    ReleaseSettings s = req.settings();
    ReleaseInputs in = ReleaseInputs.resolve(s, req.baseDir());
    ReleaseRoot root = ReleaseRoot.at(in.root(), spark.sparkContext().hadoopConfiguration());
    Semver version = req.version();
    ReleaseLocation location = root.find(req.version())
        .orElseThrow(() -> new BadInputException("reproduce: version " + version + " is not published under " + root.path()));
    ReleaseMetadata published = root.metadata(location);
    Optional<ReleaseMetadata> previous = root.newestReleaseBefore(root.list(), req.version());
    Path work = createWorkDir();
    try (GitWorkspace git = GitWorkspace.open(in.gitRepository())) {
      String tagMessage = git.tagMessage(published.gitTag())
          .orElseThrow(() -> new IntegrityException("reproduce: tag " + published.gitTag() + " is missing or not annotated"));
      String tagTarget = git.tagTarget(published.gitTag()).orElse("");
      if (!tagTarget.equals(published.gitCommit())) {
        throw new IntegrityException(
            "reproduce: tag " + published.gitTag() + " points to " + tagTarget + " but metadata.json records " + published.gitCommit());
      }
      GitHead head = new GitHead(published.gitCommit(), git.commitTime(published.gitCommit()), "release");
      FrozenArtifacts frozen = new InputFreezeStage(spark, req.config().freeze(), progress)
          .run(in, work, published.releaseType(), previous);
      TestSummary tests = new TestsStage(progress).run(s, in, req.launcher(), published.gitCommit(), published.releaseType(), work);
      ReleaseMetadata.Rebuild rebuild;
      Path model;
      if (published.rebuild().effectiveKind() == ReleaseMetadata.RebuildKind.ATTESTED) {
        // The rebuild happened elsewhere: its record is checked again, against this run's freeze.
        RebuildAttestationSource src = RebuildAttestationSource.resolve(s, req.baseDir())
            .orElseThrow(() -> new BadInputException(
                "reproduce: " + version + " was released with an attested rebuild; release.rebuild_attestation must name its record"));
        rebuild = new RebuildStage(progress).attested(src, frozen, published.releaseType(), java.time.Instant.parse(published.date()));
        model = in.model();
      } else if (published.rebuild().checked() && s.rebuildOnExecutor()) {
        // Only the digest comes back from the executor: the package is made of the workspace's
        // model, which must then be the very bytes the rebuild gave.
        rebuild = new RebuildStage(progress).onExecutor(spark.sparkContext(), s.rebuildCommand(), in.trainingConfig(), in.model(),
            published.modelHash(), frozen, root.stagingArea(), work);
        if (!frozen.modelSha256().equals(published.modelHash())) {
          throw new BadInputException("reproduce: release.checkpoint " + in.model() + " has sha256 " + frozen.modelSha256()
              + ", not the published and rebuilt " + published.modelHash() + "; with release.rebuild_on executor the package is made"
              + " from the checkpoint, so it must hold the released model");
        }
        model = in.model();
      } else if (published.rebuild().checked()) {
        rebuild = new RebuildStage(progress).run(
            s.rebuildCommand(), req.launcher(), in.trainingConfig(), in.model(), published.modelHash(), published.releaseType(), work);
        model = work.resolve("rebuild").resolve(ReleaseFiles.MODEL);
        if (published.rebuild().kind() == null) {
          rebuild = rebuild.inLegacyForm();
        }
      } else {
        rebuild = published.rebuild();
        model = in.model();
      }
      FrozenArtifacts rebuilt = model.equals(in.model())
          ? frozen
          : frozen.withBundle(frozen.bundle().withModel(model, work.resolve("candidate-rebuilt")));
      // Nothing is reused: reproducing means doing the work again.
      BenchmarkStage.Outcome benchmark = new BenchmarkStage(spark, progress).run(s, in, rebuilt.bundle(), root, work, previous, Optional.empty());
      BenchRun.Result bench = benchmark.candidate();
      ObjectNode summary = MetricsSummary.of(benchmark);
      ReleaseMetadata metadata = new ReleaseFacts(
          req.version(), published.releaseType(), published.tool().version(), head, rebuilt, tests, summary, rebuild).metadata(s, published.dataset().manifestSha256() != null);
      StagedRelease staged = new ReleasePackager().stage(
          new PackageInputs(rebuilt.bundle().model(), rebuilt.bundle().tokenizer(), rebuilt.bundle().config(), metadata,
              ReleaseReadme.render(metadata, tagMessage), PackageInputs.Transfer.MOVE),
          work.resolve("staged").resolve(version.toString()));
      Outcome files = compare(version, staged, location, root.fileSystem());
      String builderId = s.signing() == null ? io.m31r.release.config.SigningSettings.DEFAULT_BUILDER_ID : s.signing().builderId();
      return ProvenanceComparison.addTo(files, root, metadata, ProvenanceSource.of(req.config(), rebuilt, bench), builderId);
    } finally {
      io.m31r.release.fs.FileTrees.deleteQuietly(work);
    }
  }

  private static Outcome compare(Semver version, StagedRelease staged, ReleaseLocation location, FileSystem fs) {
    List<FileResult> files = new ArrayList<>();
    boolean metadataDiffersOnlyInExcluded = false;
    for (String name : ReleaseFiles.ALL) {
      byte[] ours = readLocal(staged.dir().resolve(name));
      byte[] theirs = readRemote(fs, new org.apache.hadoop.fs.Path(location.dir(), name));
      if (Arrays.equals(ours, theirs)) {
        files.add(new FileResult(name, true, "identical"));
      } else if (name.equals(ReleaseFiles.METADATA) && equalOutsideExcluded(ours, theirs)) {
        metadataDiffersOnlyInExcluded = true;
        files.add(new FileResult(name, true, "identical except the excluded measurements " + MetricsSummary.NON_REPEATABLE));
      } else {
        files.add(new FileResult(name, false, "differs"));
      }
    }
    if (metadataDiffersOnlyInExcluded) {
      // checksum.txt covers metadata.json, so its metadata line moves with the measurements; the
      // other lines must still agree.
      files.replaceAll(f -> f.file().equals(ReleaseFiles.CHECKSUM) && !f.identical()
          ? checksumOutsideMetadata(staged, location, fs) : f);
    }
    return new Outcome(version, files, MetricsSummary.NON_REPEATABLE);
  }

  private static FileResult checksumOutsideMetadata(StagedRelease staged, ReleaseLocation location, FileSystem fs) {
    List<String> ours = withoutMetadataLine(readLocal(staged.dir().resolve(ReleaseFiles.CHECKSUM)));
    List<String> theirs = withoutMetadataLine(readRemote(fs, new org.apache.hadoop.fs.Path(location.dir(), ReleaseFiles.CHECKSUM)));
    return ours.equals(theirs)
        ? new FileResult(ReleaseFiles.CHECKSUM, true, "identical except the metadata.json line (metadata.json holds excluded measurements)")
        : new FileResult(ReleaseFiles.CHECKSUM, false, "differs");
  }

  private static List<String> withoutMetadataLine(byte[] text) {
    return new String(text, StandardCharsets.UTF_8).lines().filter(l -> !l.endsWith("  " + ReleaseFiles.METADATA)).toList();
  }

  private static boolean equalOutsideExcluded(byte[] a, byte[] b) {
    try {
      JsonNode x = CanonicalJson.mapper().readTree(a);
      JsonNode y = CanonicalJson.mapper().readTree(b);
      for (JsonNode n : List.of(x, y)) {
        ((ObjectNode) n.path("metrics_summary")).remove("performance");
      }
      return x.equals(y);
    } catch (IOException | ClassCastException e) {
      return false;
    }
  }

  private static byte[] readLocal(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  private static byte[] readRemote(FileSystem fs, org.apache.hadoop.fs.Path p) {
    try (InputStream in = fs.open(p)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  private static Path createWorkDir() {
    try {
      return Files.createTempDirectory("m31r-reproduce-");
    } catch (IOException e) {
      throw new InfrastructureException("cannot create a work folder: " + e.getMessage(), e);
    }
  }
}
