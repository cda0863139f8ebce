package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.config.ConfigLoader;
import io.m31r.release.config.ReleaseConfig;
import io.m31r.release.failure.ConflictException;
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
  void aCommitMarkerLeftByAnInterruptedPublishOccupiesTheVersion() throws Exception {
    Path ws = SampleWorkspaces.copy(tmp);
    Path markers = Files.createDirectories(tmp.resolve("release").resolve(ReleaseRoot.COMMITS));
    Files.writeString(markers.resolve("0.1.0"), "0".repeat(64) + "\n");
    ConflictException e = refused(ConflictException.class, ws, "0.1.0");
    assertTrue(e.getMessage().startsWith("version 0.1.0 already exists under "), e.getMessage());
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
