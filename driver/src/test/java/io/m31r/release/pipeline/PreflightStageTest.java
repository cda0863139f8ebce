package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.config.ConfigLoader;
import io.m31r.release.config.ReleaseConfig;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.failure.ReleaseException;
import io.m31r.release.git.GitWorkspace;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.testing.GitCli;
import io.m31r.release.testing.SampleWorkspaces;
import io.m31r.release.testing.TreeDigests;
import io.m31r.release.version.Semver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preflight stage alone, without the command line or Spark: real git, a real release root on
 * the local file system. Each refusal names its reason and leaves the root, the tree and the tags
 * as they were (the pattern of ExportRefusalTest, one stage down, for cases it does not run).
 */
class PreflightStageTest {
  @TempDir Path tmp;

  @Test
  void aCommitMarkerLeftByAnInterruptedPublishMakesTheExportARerunNotANewVersion() throws Exception {
    Path ws = SampleWorkspaces.copy(tmp);
    Path root = ws.resolveSibling("release");
    Path markers = Files.createDirectories(root.resolve(ReleaseRoot.COMMITS));
    Files.writeString(markers.resolve("0.1.0"), "0".repeat(64) + "\n");
    Map<String, String> rootBefore = TreeDigests.of(root, false);
    ReleaseConfig config = new ConfigLoader().load(ws.resolve("release.yaml"));
    ExportRequest req = new ExportRequest(Semver.parse("0.1.0"), ReleaseType.A, config, ws, "test", List.of());
    ReleaseInputs in = ReleaseInputs.resolve(req.settings(), ws);
    ReleaseRoot releaseRoot = ReleaseRoot.at(in.root(), new Configuration());
    // Preflight no longer refuses an occupied version: export takes the lease, then compares the
    // inputs with what is published (IdenticalRerun: identical completes it, other inputs exit 5).
    try (GitWorkspace git = GitWorkspace.open(in.gitRepository())) {
      new PreflightStage().run(req, in, releaseRoot, git);
    }
    assertTrue(releaseRoot.occupied(Semver.parse("0.1.0")), "the marker occupies the version");
    assertTrue(releaseRoot.find(Semver.parse("0.1.0")).isEmpty(), "a marker without a publish record is no release");
    assertEquals(rootBefore, TreeDigests.of(root, false), "release root " + root);
  }

  @Test
  void aUrlInTheCommittedTrainingConfigBlocks() throws Exception {
    Path ws = SampleWorkspaces.copy(tmp);
    ReleaseInputs in = inputs(ws);
    Files.writeString(in.trainingConfig(), "# weights: https://models.example.invalid/m31r\n", StandardOpenOption.APPEND);
    SampleWorkspaces.commitAll(ws, "docs: where the weights came from");
    GateFailedException e = refused(GateFailedException.class, ws, "0.1.0");
    assertTrue(e.getMessage().contains("http(s) URL https://models.example.invalid/..."), e.getMessage());
  }

  private static <T extends ReleaseException> T refused(Class<T> type, Path ws, String version) throws Exception {
    Path root = ws.resolveSibling("release");
    Map<String, String> rootBefore = TreeDigests.of(root, false);
    Map<String, String> treeBefore = TreeDigests.of(ws, true);
    String tagsBefore = GitCli.run(ws, "tag", "-l");
    ReleaseConfig config = new ConfigLoader().load(ws.resolve("release.yaml"));
    ExportRequest req = new ExportRequest(Semver.parse(version), ReleaseType.A, config, ws, "test", List.of());
    ReleaseInputs in = ReleaseInputs.resolve(req.settings(), ws);
    T e;
    try (GitWorkspace git = GitWorkspace.open(in.gitRepository())) {
      e = assertThrows(type, () -> new PreflightStage().run(req, in, ReleaseRoot.at(in.root(), new Configuration()), git));
    }
    assertEquals(rootBefore, TreeDigests.of(root, false), "release root " + root);
    assertEquals(treeBefore, TreeDigests.of(ws, true), "work tree " + ws);
    assertEquals(tagsBefore, GitCli.run(ws, "tag", "-l"), "tags of " + ws);
    return e;
  }

  private static ReleaseInputs inputs(Path ws) {
    return ReleaseInputs.resolve(new ConfigLoader().load(ws.resolve("release.yaml")).requireRelease("test"), ws);
  }
}
