package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.m31r.release.config.ConfigLoader;
import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.failure.ReleaseException;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.preflight.TestSummary;
import io.m31r.release.sample.SampleReleaseConfig;
import io.m31r.release.testing.GitCli;
import io.m31r.release.testing.ReleaseFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tests gate runs the configured command on the released commit and believes only what that run reports. */
class TestsStageTest {
  private static final String PASSING =
      "<testsuite name=\"s\" tests=\"1\"><testcase classname=\"c\" name=\"ok\"/></testsuite>";

  @TempDir Path tmp;
  private Path repo;
  private String commit;

  @BeforeEach
  void repositoryWithAStalePassingReportCommitted() throws Exception {
    repo = Files.createDirectories(tmp.resolve("repo"));
    GitCli.run(repo, "init", "-q");
    Files.createDirectories(repo.resolve("reports/junit"));
    Files.writeString(repo.resolve("reports/junit/TEST-stale.xml"), PASSING);
    Files.writeString(repo.resolve("answer.txt"), "42\n");
    GitCli.run(repo, "add", "-A");
    GitCli.run(repo, "-c", "user.name=T", "-c", "user.email=t@m31r.invalid", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "init");
    commit = GitCli.run(repo, "rev-parse", "HEAD").strip();
  }

  @Test
  void aFailingTestCommandBlocksWithExit3DespiteAStalePassingReportCommitted() throws Exception {
    // The command fails a test whenever the commit's answer.txt is not 41: it is 42.
    String script = "if [ \"$(cat answer.txt)\" = 41 ]; then r=''; else r='<failure message=\"wrong answer\"/>'; fi;"
        + " echo \"<testsuite name='t'><testcase classname='c' name='answer'>$r</testcase></testsuite>\" > \"$1/TEST-run.xml\";"
        + " [ -z \"$r\" ]";
    Map<String, String> before = ReleaseFixtures.snapshot(repo);
    Path work = Files.createDirectories(tmp.resolve("work"));
    GateFailedException e = assertThrows(GateFailedException.class,
        () -> stage(settings(List.of("sh", "-c", script, "sh", "{reports}"), false), ReleaseType.A, work));
    assertEquals(ExitCode.GATE_BLOCKED, e.exitCode());
    assertTrue(e.getMessage().startsWith("tests gate: 1 failure, 0 errors in TEST-run.xml, first: c.answer"), e.getMessage());
    assertEquals(before, ReleaseFixtures.snapshot(repo), "the repository's files are untouched");
    assertEquals(1, GitCli.run(repo, "worktree", "list").strip().lines().count(), "the checkout was removed");
  }

  @Test
  void theCommandRunsOnACleanCheckoutOfTheCommitAndAnExitStatusAloneBlocks() throws Exception {
    Files.writeString(repo.resolve("untracked.txt"), "not in the commit\n");
    String script = "test ! -e untracked.txt && test -f answer.txt && echo \"" + PASSING.replace("\"", "'") + "\" > \"$1/TEST-ok.xml\"";
    TestSummary s = stage(settings(List.of("sh", "-c", script, "sh", "{reports}"), false), ReleaseType.A, Files.createDirectories(tmp.resolve("w1")));
    assertEquals(1, s.executed());
    assertEquals(1, s.reports(), "only the run's own report counts, not the committed one");

    GateFailedException e = assertThrows(GateFailedException.class, () -> stage(
        settings(List.of("sh", "-c", script + "; exit 7", "sh", "{reports}"), false), ReleaseType.A, Files.createDirectories(tmp.resolve("w2"))));
    assertTrue(e.getMessage().contains("exited 7"), e.getMessage());
  }

  @Test
  void skippedTestsAreCountedAndRefusedWhenConfigured() throws Exception {
    String report = "<testsuite name='s'><testcase classname='c' name='ok'/><testcase classname='c' name='later'><skipped/></testcase></testsuite>";
    List<String> command = List.of("sh", "-c", "echo \"" + report + "\" > \"$1/TEST-s.xml\"", "sh", "{reports}");
    assertEquals(1, stage(settings(command, false), ReleaseType.A, Files.createDirectories(tmp.resolve("w1"))).skipped());
    GateFailedException e = assertThrows(GateFailedException.class,
        () -> stage(settings(command, true), ReleaseType.A, Files.createDirectories(tmp.resolve("w2"))));
    assertEquals("tests gate: 1 skipped test(s) and release.refuse_skipped_tests is on", e.getMessage());
  }

  @Test
  void theReportFolderModeIsForExperimentsOnly() throws Exception {
    ReleaseSettings folder = settings(List.of(), false);
    ReleaseException e = assertThrows(BadInputException.class, () -> TestsStage.requireAllowed(folder, ReleaseType.A));
    assertTrue(e.getMessage().startsWith("config release.test_command is empty"), e.getMessage());
    TestSummary s = stage(folder, ReleaseType.D, Files.createDirectories(tmp.resolve("w")));
    assertEquals(1, s.executed());
    BadInputException noReports = assertThrows(BadInputException.class, () -> settings(List.of("true"), false));
    assertTrue(noReports.getMessage().contains("must use {reports}"), noReports.getMessage());
  }

  private TestSummary stage(ReleaseSettings s, ReleaseType type, Path work) {
    ReleaseInputs in = new ReleaseInputs(null, null, null, null, null,
        s.testReports() == null ? null : repo.resolve(s.testReports()), null, repo);
    return new TestsStage(null).run(s, in, List.of(), commit, type, work);
  }

  /** The sample's release.yaml with the test settings replaced. */
  private ReleaseSettings settings(List<String> command, boolean refuseSkipped) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "cfg");
    Path file = SampleReleaseConfig.write(dir, "fn a() {");
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode root = (ObjectNode) yaml.readTree(file.toFile());
    ObjectNode r = (ObjectNode) root.get("release");
    r.remove("test_command");
    if (command.isEmpty()) {
      r.put("test_reports", "reports/junit");
    } else {
      ArrayNode a = r.putArray("test_command");
      command.forEach(a::add);
    }
    r.put("refuse_skipped_tests", refuseSkipped);
    yaml.writeValue(file.toFile(), root);
    return new ConfigLoader().load(file).requireRelease("export");
  }
}
