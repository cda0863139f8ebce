package io.m31r.release.pipeline;

import io.m31r.release.failure.ConflictException;
import io.m31r.release.git.GitHead;
import io.m31r.release.git.GitWorkspace;
import io.m31r.release.git.TodoScan;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.preflight.VersionRules;
import io.m31r.release.registry.ReleaseEntry;
import io.m31r.release.registry.ReleaseRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Everything that can refuse a release before any heavy work (section 6): version rules against
 * what is published, a clean work tree, a free tag, no open-work markers (see TodoScan) at HEAD, no secrets, no pickle,
 * no web URLs, a rebuild command unless the release is an experiment. Reads only; changes nothing.
 */
final class PreflightStage {
  PreflightResult run(ExportRequest req, ReleaseInputs in, ReleaseRoot root, GitWorkspace git) {
    List<ReleaseEntry> published = root.list();
    // An occupied version is a rerun: after taking the lease, export compares its inputs with the
    // published release (identical: complete it, exit 0; otherwise exit 5). Version rules are for new versions.
    if (!root.occupied(req.version())) {
      VersionRules.check(req.version(), req.type(), published.stream().map(ReleaseEntry::version).toList());
    }
    RebuildStage.requireAllowed(req.settings(), req.type());
    RebuildAttestationSource.resolve(req.settings(), req.baseDir());
    TestsStage.requireAllowed(req.settings(), req.type());
    git.requireClean();
    GitHead head = git.head();
    boolean tagFromInterruptedRun = false;
    if (git.tagExists(req.tag())) {
      String target = git.tagTarget(req.tag()).orElse("?");
      if (!target.equals(head.commit())) {
        throw new ConflictException(
            "tag " + req.tag() + " already exists and points to " + target + ", not HEAD " + head.commit()
                + "; tags are never moved");
      }
      // Same commit and not published: an export interrupted after tagging. The tag step checks
      // that its message is the changelog this run computes before accepting it.
      tagFromInterruptedRun = true;
    }
    new TodoScan().exemptingSuitePrompts(suiteInRepository(in)).requireNone(git);
    security(in);
    Optional<ReleaseMetadata> previous = root.newestReleaseBefore(published, req.version());
    return new PreflightResult(head, previous, tagFromInterruptedRun);
  }

  /** The suite folder relative to the repository when it is a folder inside it, else null. */
  static String suiteInRepository(ReleaseInputs in) {
    Path repo = in.gitRepository().toAbsolutePath().normalize();
    Path suite = in.suite().toAbsolutePath().normalize();
    if (!Files.isDirectory(suite) || !suite.startsWith(repo) || suite.equals(repo)) {
      return null;
    }
    return repo.relativize(suite).toString().replace(java.io.File.separatorChar, '/');
  }

  /** Section 25: no secrets in what ships or configures it, no pickle, no remote calls. */
  private static void security(ReleaseInputs in) {
    ShippedFileScan.require(in.model(), in.tokenizer(), in.trainingConfig(), readmes(in.gitRepository()));
  }

  private static List<Path> readmes(Path repo) {
    try (Stream<Path> files = Files.list(repo)) {
      return files.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).startsWith("readme"))
          .filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new io.m31r.release.failure.InfrastructureException("cannot list " + repo + ": " + e.getMessage(), e);
    }
  }
}
