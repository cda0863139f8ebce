package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.model.safetensors.SafetensorsFile;
import io.m31r.release.model.training.DatasetDigest;
import io.m31r.release.sample.SampleWorkspace;
import io.m31r.release.testing.AttestedRebuilds;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.GitCli;
import io.m31r.release.testing.SampleWorkspaces;
import io.m31r.release.testing.TreeDigests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every practice the release process forbids, tried once each through the real {@code m31r export}
 * on a copy of the sample workspace: the export must refuse with the exit code of the failure mode,
 * name the stage and the reason on stderr, and leave the release root, the inputs and the tags as
 * they were. Most refusals happen in preflight or freeze and take seconds; the gate failure runs
 * the benchmark, and only the patch and experiment cases run complete exports.
 */
class ExportRefusalTest {
  private static final String README = "README.md";
  private static final String MODEL = "checkpoint/model.safetensors";

  @TempDir Path tmp;

  @Test
  void untrackedFileMakesTheTreeDirty() throws Exception {
    Case c = new Case(tmp);
    Files.writeString(c.ws.resolve("scratch.txt"), "notes\n");
    c.snapshot();
    c.assertRefused(c.export("0.1.0", "A"), 3, "preflight", "is not clean", "?? scratch.txt");
  }

  @Test
  void modifiedTrackedFileMakesTheTreeDirty() throws Exception {
    Case c = new Case(tmp);
    Files.writeString(c.ws.resolve(README), "\nAn edit not yet committed.\n", StandardOpenOption.APPEND);
    c.snapshot();
    c.assertRefused(c.export("0.1.0", "A"), 3, "preflight", "is not clean", "M " + README);
  }

  @Test
  void existingTagOnAnotherCommitIsNeverMoved() throws Exception {
    Case c = new Case(tmp);
    Files.writeString(c.ws.resolve(README), "\nFirst attempt.\n", StandardOpenOption.APPEND);
    SampleWorkspaces.commitAll(c.ws, "docs: first attempt");
    GitCli.run(c.ws, "tag", "v0.1.0");
    String tagged = GitCli.run(c.ws, "rev-parse", "v0.1.0^{commit}").strip();
    Files.writeString(c.ws.resolve(README), "\nSecond attempt.\n", StandardOpenOption.APPEND);
    SampleWorkspaces.commitAll(c.ws, "docs: second attempt");
    String head = GitCli.run(c.ws, "rev-parse", "HEAD").strip();
    assertFalse(head.equals(tagged));
    c.snapshot();
    c.assertRefused(c.export("0.1.0", "A"), 5, "preflight",
        "tag v0.1.0 already exists and points to " + tagged, "not HEAD " + head, "never moved");
    assertEquals(tagged, GitCli.run(c.ws, "rev-parse", "v0.1.0^{commit}").strip());
  }

  @Test
  void markerWordInACommittedFileBlocks() throws Exception {
    Case c = new Case(tmp);
    // Concatenated so that this source file carries no marker itself.
    String marker = "TO" + "DO";
    Files.writeString(c.ws.resolve("NOTES.md"), "# Notes\n\n" + marker + ": tidy the corpus\n");
    SampleWorkspaces.commitAll(c.ws, "docs: notes");
    c.snapshot();
    c.assertRefused(c.export("0.1.0", "A"), 3, "preflight", "1 " + marker + "/", "NOTES.md:3");
  }

  @Test
  void secretInTheCommittedReadmeBlocksWithoutBeingRepeated() throws Exception {
    Case c = new Case(tmp);
    String key = "AKIA" + "IOSFODNN7EXAMPLE";
    Files.writeString(c.ws.resolve(README), "\nDeploy with " + key + " please.\n", StandardOpenOption.APPEND);
    SampleWorkspaces.commitAll(c.ws, "docs: deployment notes");
    c.snapshot();
    Cli.Run run = c.export("0.1.0", "A");
    c.assertRefused(run, 3, "preflight", "secret scan: 1 possible secret", README + " line ", "AWS access key id");
    assertFalse(run.err().contains(key), run.err());
    assertFalse(run.out().contains(key), run.out());
    assertFalse(run.err().contains("IOSFODNN7EXAMPLE"), run.err());
  }

  @Test
  void pickleRenamedToSafetensorsIsRefused() throws Exception {
    Case c = new Case(tmp);
    Path model = c.ws.resolve(MODEL);
    model.toFile().setWritable(true);
    // pickle.dumps({}, protocol=2): the smallest valid protocol-2 stream.
    Files.write(model, new byte[] {(byte) 0x80, 0x02, '}', 'q', 0x00, '.'});
    assertEquals("", GitCli.run(c.ws, "status", "--porcelain"), "the checkpoint folder is git-ignored");
    c.snapshot();
    c.assertRefused(c.export("0.1.0", "A"), 2, "preflight", "model.safetensors is a pickle", "pickle protocol 2 header");
  }

  @Test
  void failedGateBlocksAtTheBenchmarkAndPublishesNothing() throws Exception {
    Case c = new Case(tmp);
    editReleaseYaml(c.ws, release -> ((ObjectNode) release.get("gates")).put("max_ms_per_token", 0.0001));
    SampleWorkspaces.commitAll(c.ws, "build(release): an unreachable latency target");
    c.snapshot();
    c.assertRefused(c.export("0.1.0", "A"), 3, "benchmark",
        "release blocked by", "ms_per_token above target", "maximum 0.0001");
    // The blocked report sits beside the root, never in it.
    String html = Files.readString(c.parent.resolve("release-reports/0.1.0.html"));
    assertTrue(html.contains("blocked: stage benchmark"), html.substring(0, Math.min(300, html.length())));
  }

  @Test
  void versionAndTypeRulesRefuseBeforeAnyWork() throws Exception {
    Case c = new Case(tmp);
    c.snapshot();
    c.assertRefused(c.export("0.1.0-rc.1", "A"), 2, "preflight",
        "version 0.1.0-rc.1: a pre-release suffix is only allowed for type D");
    c.assertRefusedBeforeThePipeline(c.export("01.0.0", "A"), 2, "version '01.0.0' is not a semantic version");
    c.assertRefusedBeforeThePipeline(c.export("0.1.0", "Z"), 2, "release type 'Z' is not one of");
    // No stage ran far enough to write a report.
    assertFalse(Files.exists(c.parent.resolve("release-reports")));
  }

  @Test
  void patchThatChangesTheWeightsIsBlockedAndPublishedVersionsAreFinal() throws Exception {
    Case c = new Case(tmp);
    // The first release checks a signed rebuild record instead of retraining: the rebuild is not
    // what this test is about, and the patch below is refused at freeze, before any rebuild.
    AttestedRebuilds.attest(c.ws, c.ws.resolve(SampleWorkspace.CHECKPOINT), tmp);
    SampleWorkspaces.commitAll(c.ws, "build(release): rebuild attested by the training cluster");
    Cli.Run first = c.export("0.1.0", "A");
    assertEquals(0, first.exitCode(), first.err());
    assertTrue(Files.isDirectory(c.root.resolve("0.1.0")));

    Files.writeString(c.ws.resolve(README), "\nA corrected sentence.\n", StandardOpenOption.APPEND);
    SampleWorkspaces.commitAll(c.ws, "fix(docs): correct the README");
    // Retrained with another seed from a committed config, so that the checkpoint is traceable to
    // the frozen inputs and only the patch rule can object to it. Four steps are enough for other
    // weights, and cost a fraction of the sample's 120.
    Path config = c.ws.resolve("config.yaml");
    String yaml = Files.readString(config);
    assertTrue(yaml.contains("\n  seed: 42\n") && yaml.contains("\n  max_steps: 120\n") && yaml.contains("\n  warmup_steps: 10\n"), yaml);
    Files.writeString(config, yaml.replace("\n  seed: 42\n", "\n  seed: 43\n")
        .replace("\n  max_steps: 120\n", "\n  max_steps: 4\n").replace("\n  warmup_steps: 10\n", "\n  warmup_steps: 2\n"));
    SampleWorkspaces.commitAll(c.ws, "fix(train): train with seed 43");
    Path retrained = tmp.resolve("retrained");
    Cli.Run train = Cli.run("sample", "--rebuild-model", "--config", config.toString(), "--out", retrained.toString(), "--quiet");
    assertEquals(0, train.exitCode(), train.err());
    Path model = c.ws.resolve(MODEL);
    String previousModel = Sha256.hex(Files.readAllBytes(model));
    model.toFile().setWritable(true);
    Files.copy(retrained.resolve("model.safetensors"), model, StandardCopyOption.REPLACE_EXISTING);
    String candidateModel = Sha256.hex(Files.readAllBytes(model));
    assertFalse(previousModel.equals(candidateModel), "another seed gives other weights");
    assertEquals("", GitCli.run(c.ws, "status", "--porcelain"));
    c.snapshot();

    c.assertRefused(c.export("0.1.1", "C"), 3, "freeze",
        "type C patch release must not change the model/tokenizer/dataset",
        "model_hash previous " + previousModel + ", candidate " + candidateModel);
    assertFalse(Files.exists(c.root.resolve("0.1.1")));
    // The published version's tag is on another commit than HEAD now: refused before the rerun
    // comparison (which would also refuse: other inputs), with nothing changed.
    c.assertRefused(c.export("0.1.0", "A"), 5, "preflight", "tag v0.1.0 already exists and points to");
    c.assertRefused(c.export("0.0.9", "A"), 5, "preflight",
        "version 0.0.9 is not greater than the highest published version 0.1.0");
  }

  @Test
  void emptyRebuildCommandIsForExperimentsOnly() throws Exception {
    Case c = new Case(tmp);
    editReleaseYaml(c.ws, release -> release.putArray("rebuild_command"));
    SampleWorkspaces.commitAll(c.ws, "build(release): no rebuild from scratch");
    c.snapshot();
    c.assertRefused(c.export("0.1.0", "A"), 2, "preflight", "release.rebuild_command is empty", "type D");
    assertFalse(Files.exists(c.parent.resolve("release-reports")), "refused in preflight, before any heavy work");

    Cli.Run experiment = c.export("0.2.0-exp.1", "D");
    assertEquals(0, experiment.exitCode(), experiment.err());
    Path published = c.root.resolve("experiments/0.2.0-exp.1");
    try (Stream<Path> files = Files.list(published)) {
      assertEquals(ExportEndToEndTest.SIX, files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertFalse(Files.exists(c.root.resolve("0.2.0-exp.1")), "experiments never sit beside releases");
    assertFalse(Files.exists(c.root.resolve("CURRENT")), "an experiment is never current");
    JsonNode metadata = CanonicalJson.mapper().readTree(published.resolve("metadata.json").toFile());
    assertFalse(metadata.get("trusted").asBoolean(), metadata.toString());
    assertTrue(metadata.get("trusted").isBoolean(), metadata.toString());
    assertFalse(metadata.at("/rebuild/checked").asBoolean(), metadata.toString());
    assertTrue(metadata.at("/rebuild/checked").isBoolean(), metadata.toString());
    assertEquals(RebuildStage.NOT_CHECKED, metadata.at("/rebuild/command").asText());
    assertTrue(metadata.at("/rebuild/model_hash").isNull(), metadata.toString());
    assertEquals("D", metadata.get("release_type").asText(), metadata.toString());
  }

  @Test
  void checkpointTrainedOnAnotherDatasetFailsTraceability() throws Exception {
    Case c = new Case(tmp);
    String recorded = SafetensorsFile.open(c.ws.resolve(MODEL)).metadata().get("dataset_sha256");
    Path shard = c.ws.resolve("dataset/text/shard_0000.jsonl");
    assertTrue(Files.isRegularFile(shard), shard.toString());
    shard.toFile().setWritable(true);
    Files.write(shard, new byte[] {'\n'}, StandardOpenOption.APPEND);
    String frozen = DatasetDigest.rootSha256(c.ws.resolve("dataset"));
    assertFalse(recorded.equals(frozen));
    assertEquals("", GitCli.run(c.ws, "status", "--porcelain"), "the dataset folder is git-ignored");
    c.snapshot();
    c.assertRefused(c.export("0.1.0", "A"), 4, "freeze",
        "checkpoint traceability", "__metadata__.dataset_sha256", "trained on dataset " + recorded,
        "the frozen dataset is " + frozen);
  }

  @Test
  void dryRunChecksInSecondsWritesNothingAndAGpuFailingItsProbeIsExit2() throws Exception {
    Case c = new Case(tmp.resolve("dry"));
    c.snapshot();
    Cli.Run ok = Cli.run("--config", c.ws.resolve("release.yaml").toString(), "export", "--version", "0.1.0", "--type", "A",
        "--dry-run", "--quiet");
    assertEquals(0, ok.exitCode(), ok.err());
    for (String line : List.of("ok: preflight", "ok: signing key: no release key: the release would be published unsigned",
        "ok: staging writable: ", "ok: executors see staging: not needed",
        "dry run: export 0.1.0 would start")) {
      assertTrue(ok.out().contains(line), "expected '" + line + "' in:\n" + ok.out());
    }
    c.assertNothingChanged();

    editReleaseYaml(c.ws, r -> ((ObjectNode) r.get("bench")).put("device", "gpu"));
    SampleWorkspaces.commitAll(c.ws, "chore(bench): generate on gpu");
    c.snapshot();
    Cli.Run gpu = Cli.run("--config", c.ws.resolve("release.yaml").toString(), "export", "--version", "0.1.0", "--type", "A",
        "--dry-run", "--quiet");
    // This machine's libtorch is the CPU one: the probe's tiny op on gpu:0 fails, naming the device.
    c.assertRefusedBeforeThePipeline(gpu, 2, "no executor passed the GPU probe (1 tried); executor driver: device gpu:0 failed a tensor op on host ");
    assertTrue(gpu.err().contains("(libtorch 2.7.1, DJL "), gpu.err());
    assertTrue(gpu.out().contains("FAILED: gpu probe: "), gpu.out());
  }

  @Test
  void requiredSignatureWithoutAKeyRefusesBeforeAnyWork() throws Exception {
    Case c = new Case(tmp);
    // A variable no environment sets: the key the config names is not there.
    String unset = "M31R_SIGNING_KEY_UNSET_" + Long.toHexString(System.nanoTime());
    assertEquals(null, System.getenv(unset));
    editReleaseYaml(c.ws, r -> r.putObject("signing").put("required", true).put("private_key_env", unset));
    c.snapshot();
    c.assertRefusedBeforeThePipeline(c.export("0.1.0", "A"), 3,
        "release.signing.required is true but no signing key is available (environment variable " + unset);
  }

  /** Rewrites the committed release.yaml's {@code release:} section; the result is still read by the real loader. */
  private static void editReleaseYaml(Path ws, Consumer<ObjectNode> edit) throws IOException {
    Path file = ws.resolve("release.yaml");
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode root = (ObjectNode) yaml.readTree(file.toFile());
    edit.accept((ObjectNode) root.get("release"));
    Files.write(file, yaml.writeValueAsBytes(root));
  }

  /**
   * One copy of the sample workspace at {@code parent/ws} releasing to {@code parent/release}, and
   * what a refused export must leave as it found: the root, the work tree, the tags.
   */
  private static final class Case {
    final Path parent;
    final Path ws;
    final Path root;
    private Map<String, String> rootBefore;
    private Map<String, String> treeBefore;
    private String tagsBefore;

    Case(Path parent) {
      this.parent = parent;
      this.ws = SampleWorkspaces.copy(parent);
      this.root = parent.resolve("release");
    }

    Cli.Run export(String version, String type) {
      return Cli.run("--config", ws.resolve("release.yaml").toString(), "export", "--version", version, "--type", type, "--quiet");
    }

    /** Taken after the one change a case makes, before its exports. */
    void snapshot() throws IOException {
      rootBefore = TreeDigests.of(root, false);
      treeBefore = TreeDigests.of(ws, true);
      tagsBefore = GitCli.run(ws, "tag", "-l");
    }

    void assertRefused(Cli.Run run, int exitCode, String stage, String... reasons) throws IOException {
      assertEquals(exitCode, run.exitCode(), run.err());
      List<String> lines = run.err().lines().filter(l -> l.startsWith("m31r:")).toList();
      assertEquals(1, lines.size(), run.err());
      String prefix = "m31r: export stage " + stage + ": ";
      assertTrue(lines.get(0).startsWith(prefix), "expected '" + prefix + "...', got: " + lines.get(0));
      for (String reason : reasons) {
        assertTrue(lines.get(0).contains(reason), "expected '" + reason + "' in: " + lines.get(0));
      }
      assertNothingChanged();
    }

    void assertRefusedBeforeThePipeline(Cli.Run run, int exitCode, String reason) throws IOException {
      assertEquals(exitCode, run.exitCode(), run.err());
      assertTrue(run.err().startsWith("m31r: " + reason), run.err());
      assertFalse(run.err().contains("export stage"), run.err());
      assertNothingChanged();
    }

    private void assertNothingChanged() throws IOException {
      assertSame("release root " + root, rootBefore, TreeDigests.of(root, false));
      assertSame("work tree " + ws, treeBefore, TreeDigests.of(ws, true));
      assertEquals(tagsBefore, GitCli.run(ws, "tag", "-l"), "tags of " + ws);
    }

    private static void assertSame(String what, Map<String, String> before, Map<String, String> after) {
      if (before == null || after == null) {
        assertEquals(before == null, after == null, what + (before == null ? " was created" : " was removed"));
        return;
      }
      assertEquals(before.keySet(), after.keySet(), what + ": entries differ");
      before.forEach((name, digest) -> assertEquals(digest, after.get(name), what + ": " + name + " changed"));
    }

  }
}
