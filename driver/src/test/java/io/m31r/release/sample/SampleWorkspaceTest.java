package io.m31r.release.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.config.ConfigLoader;
import io.m31r.release.config.ReleaseConfig;
import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.git.GitWorkspace;
import io.m31r.release.git.TodoScan;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.model.LoadedModel;
import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.model.generate.GenerationRequest;
import io.m31r.release.model.generate.GenerationResult;
import io.m31r.release.model.generate.Generator;
import io.m31r.release.model.generate.SamplingParams;
import io.m31r.release.model.runtime.RuntimeOptions;
import io.m31r.release.model.safetensors.SafetensorsFile;
import io.m31r.release.model.training.DatasetDigest;
import io.m31r.release.preflight.TestReports;
import io.m31r.release.sandbox.Isolation;
import io.m31r.release.sandbox.RustSandbox;
import io.m31r.release.sandbox.RustToolchain;
import io.m31r.release.sandbox.SampleStatus;
import io.m31r.release.sandbox.SandboxLimits;
import io.m31r.release.sandbox.Verdict;
import io.m31r.release.suite.BenchSuite;
import io.m31r.release.suite.BenchTask;
import io.m31r.release.suite.ProgramAssembler;
import io.m31r.release.suite.SuiteLoader;
import io.m31r.release.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * One real {@code m31r sample} run (training included, about a minute on two cores), checked part
 * by part: the corpus test report, release.yaml, the git repository, the trained checkpoint, and
 * the rebuild contract.
 */
class SampleWorkspaceTest {
  private static final long SEED = 42;

  @TempDir static Path tmp;
  private static Path ws;
  private static Cli.Run created;

  @BeforeAll
  static void createWorkspace() {
    // Shared with the other tests of this JVM that need a workspace: training is the slow part.
    ws = io.m31r.release.testing.SampleWorkspaces.master();
    created = io.m31r.release.testing.SampleWorkspaces.masterRun();
    assertEquals(0, created.exitCode(), created.err());
  }

  @Test
  void theReportHoldsOnePassingCaseForEveryTaskWithConsistentCounts() throws Exception {
    Path file = ws.resolve("reports/junit/" + SampleTestReport.FILE);
    Element suite = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    assertEquals("testsuite", suite.getTagName());
    assertEquals("sample-corpus", suite.getAttribute("name"));
    assertEquals("36", suite.getAttribute("tests"));
    assertEquals("0", suite.getAttribute("failures"));
    assertEquals("0", suite.getAttribute("errors"));
    assertEquals("0", suite.getAttribute("skipped"));
    assertTrue(Double.parseDouble(suite.getAttribute("time")) > 0);
    NodeList cases = suite.getElementsByTagName("testcase");
    assertEquals(36, cases.getLength());
    List<RustCorpus.Function> corpus = RustCorpus.generate(SEED);
    double sum = 0;
    for (int i = 0; i < cases.getLength(); i++) {
      Element c = (Element) cases.item(i);
      assertEquals("sample.corpus.completion", c.getAttribute("classname"));
      assertEquals(String.format("task_%03d %s", i + 1, corpus.get(i).name()), c.getAttribute("name"));
      assertEquals(0, c.getElementsByTagName("failure").getLength() + c.getElementsByTagName("error").getLength());
      sum += Double.parseDouble(c.getAttribute("time"));
    }
    assertTrue(sum > 0, "every case was timed");
    assertTrue(Pattern.compile("(?m)^sample tests: .*" + Pattern.quote(SampleTestReport.FILE) + " \\(36 passed\\)$")
        .matcher(created.out()).find(), created.out());
    var gate = TestReports.requirePassing(ws.resolve(SampleReleaseConfig.TEST_REPORTS));
    assertEquals(36, gate.tests());
  }

  @Test
  void releaseYamlLoadsAndNamesOnlyInputsThatExist() throws Exception {
    Path file = ws.resolve(SampleReleaseConfig.FILE);
    assertTrue(Files.readString(file).startsWith("# "), "explains itself");
    ReleaseConfig config = new ConfigLoader().load(file);
    assertEquals(new ConfigLoader().load(repoRoot().resolve("conf/release.yaml")).freeze(), config.freeze());
    assertEquals(Map.of(), config.hadoop());
    ReleaseSettings r = config.requireRelease("export");
    assertEquals(null, r.testReports(), "the tests gate runs the test command, not a report folder");
    assertEquals(List.of("{m31r}", "check-suite", "benchmarks", "--junit", "{reports}"), r.testCommand());
    for (String dir : List.of(r.checkpoint(), r.dataset(), r.suite(), r.gitRepository())) {
      assertTrue(Files.isDirectory(ws.resolve(dir)), dir);
    }
    for (String f : List.of(r.tokenizer(), r.trainingConfig())) {
      assertTrue(Files.isRegularFile(ws.resolve(f)), f);
    }
    assertTrue(Files.isRegularFile(ws.resolve(r.checkpoint()).resolve("model.safetensors")));
    assertEquals(ws.getParent().resolve("release"), ws.resolve(r.root()).normalize(), "outside the work tree");
    assertEquals(RustCorpus.generate(SEED).get(0).signature(), r.smokePrompt());
    assertTrue(r.smokePrompt().startsWith("fn ") && r.smokePrompt().endsWith("{\n"), r.smokePrompt());
    assertEquals(List.of("{m31r}", "sample", "--rebuild-model", "--config", "{config}", "--out", "{out}"),
        r.rebuildCommand());
    assertEquals(new ReleaseSettings.Tagger("M31R Sample Release", "release@m31r.invalid"), r.tagger());
    assertEquals(new ReleaseSettings.Gates(0.7, 0.4, null, null, 50, 8_000_000_000L), r.gates());
    assertEquals(new ReleaseSettings.Bench(1, 64, 0.0, 42, "cpu"), r.bench());
    assertTrue(r.architectureCompatibility().startsWith("m31r-decoder-v1: "), r.architectureCompatibility());
    assertTrue(created.out().contains("sample release config: " + file.toAbsolutePath()), created.out());
  }

  @Test
  void theWorkspaceIsACleanRepositoryOfConventionalCommits() throws Exception {
    try (GitWorkspace git = GitWorkspace.open(ws)) {
      git.requireClean();
      assertEquals("main", git.head().branch());
      assertTrue(created.out().contains("sample git: HEAD " + git.head().commit()), created.out());
      assertEquals(List.of(), new TodoScan().scan(git), "the marker gate passes");
    }
    List<String> subjects = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    try (Git git = Git.open(ws.toFile())) {
      for (RevCommit c : git.log().call()) {
        subjects.add(0, c.getShortMessage());
        times.add(0, c.getCommitterIdent().getWhenAsInstant());
        assertEquals("M31R Sample <sample@m31r.invalid>",
            c.getAuthorIdent().getName() + " <" + c.getAuthorIdent().getEmailAddress() + ">");
      }
      assertEquals(List.of(
          "docs: describe the sample workspace",
          "feat(tokenizer): byte-level BPE tokenizer trained on the sample corpus",
          "feat(bench): completion suite derived from the corpus",
          "feat(train): training config of the sample model",
          "build(release): release configuration for m31r export",
          "test: JUnit report of the corpus tests"), subjects);
      Instant start = SampleHistory.start(System.getenv());
      for (int i = 0; i < times.size(); i++) {
        assertEquals(start.plusSeconds(60L * i), times.get(i));
      }
      List<String> tree = headTree(git.getRepository());
      for (String expected : List.of("README.md", ".gitignore", "tokenizer.json", "config.yaml", "release.yaml",
          "reports/junit/" + SampleTestReport.FILE, "benchmarks/completion/task_001/prompt.rs",
          "benchmarks/completion/task_036/tests.rs")) {
        assertTrue(tree.contains(expected), expected + " in " + tree);
      }
      assertTrue(tree.stream().noneMatch(p -> p.startsWith("dataset/") || p.startsWith("checkpoint/")), tree.toString());
    }
    assertEquals("/dataset/\n/checkpoint/\n", Files.readString(ws.resolve(".gitignore")));
  }

  /** The same tracked files give the same commit ids: the history is a function of the content. */
  @Test
  void theHistoryIsReproducibleFromTheTrackedFiles() throws Exception {
    Path copy = tmp.resolve("history-copy");
    List<String> tracked;
    String head;
    try (Git git = Git.open(ws.toFile())) {
      tracked = headTree(git.getRepository());
      head = git.getRepository().resolve(Constants.HEAD).name();
    }
    for (String p : tracked) {
      Path target = copy.resolve(p);
      Files.createDirectories(target.getParent());
      Files.copy(ws.resolve(p), target);
    }
    assertEquals(head, SampleHistory.create(copy, SampleHistory.start(System.getenv())));
  }

  @Test
  void theCheckpointLoadsVerifiedAndCompletesTheSmokePromptIntoPassingCode() throws Exception {
    BenchSuite suite = new SuiteLoader().load(ws.resolve(SampleWorkspace.SUITE));
    String prompt = SampleWorkspace.smokePrompt(SEED);
    BenchTask task = suite.tasks().stream().filter(t -> t.prompt().equals(prompt)).findFirst().orElseThrow();
    assertEquals("completion/task_001", task.id());
    ModelBundle bundle = ModelBundle.open(ws.resolve(SampleWorkspace.CHECKPOINT), false);
    assertTrue(bundle.verified());
    String completion;
    try (LoadedModel model = LoadedModel.load(bundle, RuntimeOptions.CPU_FP32)) {
      GenerationResult r = Generator.generate(model,
          new GenerationRequest(prompt, 64, SamplingParams.GREEDY, 42, 1, task.stopStrings()));
      completion = r.completions().get(0).text();
    }
    Path work = Files.createDirectories(tmp.resolve("smoke-sandbox"));
    Verdict v = new RustSandbox(RustToolchain.locate(null), SandboxLimits.DEFAULTS, Isolation.probe(), work)
        .evaluate(ProgramAssembler.forCompletion(task, completion));
    assertEquals(SampleStatus.PASSED, v.status(), "completion " + completion + ": " + v.detail() + "\n" + v.stderrExcerpt());
  }

  @Test
  void rebuildingFromTheConfigGivesTheSameBytesAndAnotherSeedDoesNot() throws Exception {
    Path model = ws.resolve(SampleWorkspace.CHECKPOINT).resolve(SampleModelBuilder.MODEL_FILE);
    Path config = ws.resolve(SampleWorkspace.TRAINING_CONFIG);
    Map<String, String> meta = SafetensorsFile.open(model).metadata();
    assertEquals(DatasetDigest.rootSha256(ws.resolve(SampleWorkspace.DATASET)), meta.get("dataset_sha256"));
    assertEquals(Sha256.hex(Files.readAllBytes(ws.resolve(SampleWorkspace.TOKENIZER))), meta.get("tokenizer_sha256"));
    assertEquals(Sha256.hex(Files.readAllBytes(config)), meta.get("config_sha256"));
    assertEquals("42", meta.get("seed"));

    Path again = tmp.resolve("rebuilt");
    Cli.Run r = io.m31r.release.testing.Cli.run("sample", "--rebuild-model", "--config", config.toString(), "--out", again.toString(), "--quiet");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(-1L, Files.mismatch(model, again.resolve(SampleModelBuilder.MODEL_FILE)), "byte-identical rebuild");

    // Another seed, all else equal, gives other weights. Both sides train four steps, not the
    // sample's 120: the seed decides the initial weights, so a few steps show it at a fraction of
    // the cost. The copies live outside the workspace (which must stay clean), so they name the
    // inputs back there.
    String yaml = Files.readString(config);
    String short42 = yaml.replace("max_steps: 120\n", "max_steps: 4\n").replace("warmup_steps: 10\n", "warmup_steps: 2\n")
        .replace("dataset_directory: \"dataset\"", "dataset_directory: \"" + ws.resolve("dataset") + "\"")
        .replace("tokenizer_directory: \".\"", "tokenizer_directory: \"" + ws + "\"");
    assertTrue(yaml.contains("seed: 42\n") && yaml.contains("max_steps: 120\n") && yaml.contains("warmup_steps: 10\n"), yaml);
    Path model42 = trainShort("seed42", short42);
    Path otherModel = trainShort("seed43", short42.replace("seed: 42\n", "seed: 43\n"));
    assertNotEquals(Sha256.hex(Files.readAllBytes(model42)), Sha256.hex(Files.readAllBytes(otherModel)));
    assertEquals("42", SafetensorsFile.open(model42).metadata().get("seed"));
    assertEquals("43", SafetensorsFile.open(otherModel).metadata().get("seed"));
    assertEquals(meta.get("dataset_sha256"), SafetensorsFile.open(otherModel).metadata().get("dataset_sha256"));
  }

  private Path trainShort(String name, String configYaml) throws Exception {
    Path config = Files.createDirectories(tmp.resolve(name)).resolve("config.yaml");
    Files.writeString(config, configYaml);
    Path out = tmp.resolve("rebuilt-" + name);
    Cli.Run r = Cli.run("sample", "--rebuild-model", "--config", config.toString(), "--out", out.toString(), "--quiet");
    assertEquals(0, r.exitCode(), r.err());
    return out.resolve(SampleModelBuilder.MODEL_FILE);
  }

  @Test
  void rebuildWithoutAConfigExits2() {
    Path out = tmp.resolve("no-config");
    Cli.Run r = Cli.run("sample", "--rebuild-model", "--out", out.toString(), "--quiet");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("--rebuild-model needs --config"), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void rebuildIntoAnExistingModelExits5AndLeavesItAlone() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("occupied"));
    Path model = Files.writeString(out.resolve(SampleModelBuilder.MODEL_FILE), "someone else's model");
    Cli.Run r = Cli.run("sample", "--rebuild-model", "--config", ws.resolve(SampleWorkspace.TRAINING_CONFIG).toString(),
        "--out", out.toString(), "--quiet");
    assertEquals(5, r.exitCode(), r.err());
    assertTrue(r.err().contains("already exists"), r.err());
    assertEquals("someone else's model", Files.readString(model));
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of(model), files.toList());
    }
  }

  @Test
  void sourceDateEpochSetsTheFirstCommitTime() {
    assertEquals(SampleHistory.DEFAULT_START, SampleHistory.start(Map.of()));
    assertEquals(Instant.ofEpochSecond(1_700_000_000L), SampleHistory.start(Map.of("SOURCE_DATE_EPOCH", "1700000000")));
    BadInputException bad = assertThrows(BadInputException.class, () -> SampleHistory.start(Map.of("SOURCE_DATE_EPOCH", "yesterday")));
    assertEquals("SOURCE_DATE_EPOCH='yesterday' is not a non-negative number of seconds", bad.getMessage());
    assertThrows(BadInputException.class, () -> SampleHistory.start(Map.of("SOURCE_DATE_EPOCH", "-5")));
  }

  private static List<String> headTree(Repository repository) throws IOException {
    List<String> out = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
      tree.addTree(walk.parseCommit(repository.resolve(Constants.HEAD)).getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        out.add(tree.getPathString());
      }
    }
    return out;
  }

  /** The project root, whose conf/release.yaml the sample's freeze section must match. */
  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("conf/release.yaml"))) {
      dir = dir.getParent();
    }
    assertTrue(dir != null, "conf/release.yaml above " + Path.of("").toAbsolutePath());
    return dir;
  }
}
