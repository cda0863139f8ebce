package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.failure.ReleaseException;
import io.m31r.release.freeze.DatasetManifest;
import io.m31r.release.freeze.DatasetSelection;
import io.m31r.release.hadoop.SerializableHadoopConf;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.model.bundle.FileDigests;
import io.m31r.release.model.training.DatasetDigest;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.ship.FileShipment;
import io.m31r.release.tasks.rebuild.ExecutorRebuildTask;
import io.m31r.release.tasks.rebuild.RebuildInputs;
import io.m31r.release.tasks.ship.ShippedFiles;
import io.m31r.release.testing.ReleaseFixtures;
import io.m31r.release.testing.TestSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code release.rebuild_on: executor} on local Spark: the training config's inputs travel to a
 * task by either route and are checked there, the command runs in the task, and the verdict is the
 * local rebuild's. The rebuild command is a real one whose "training" is a deterministic function of
 * its inputs (the config and a dataset shard concatenated), so a run takes milliseconds; the real
 * trainer on executors that cannot see the driver's disk is ClusterExportIT.
 */
class ExecutorRebuildTest {
  private static final String CONFIG = "global:\n  seed: 7\ntrain:\n  dataset_directory: \"../data\"\n  tokenizer_directory: \".\"\n";
  /** $1 is the config, $2 the output folder; the marker shows whether the command ran at all. */
  private static final List<String> COMMAND = List.of("sh", "-c",
      "touch \"$3\" && mkdir -p \"$2\" && cat \"$1\" \"$(dirname \"$1\")/../data/text/a.jsonl\" > \"$2/model.safetensors\"",
      "rebuild", "{config}", "{out}");

  @TempDir Path tmp;
  private Path config;
  private Path candidate;
  private Path marker;
  private String frozenDataset;

  @BeforeEach
  void workspace() throws Exception {
    Path ws = Files.createDirectories(tmp.resolve("ws/train"));
    config = Files.writeString(ws.resolve("config.yaml"), CONFIG);
    Files.writeString(ws.resolve("tokenizer.json"), "{\"model\": {}}");
    Path text = Files.createDirectories(tmp.resolve("ws/data/text"));
    Files.writeString(text.resolve("a.jsonl"), "{\"id\": \"1\", \"text\": \"fn main() {}\"}\n");
    Files.writeString(text.resolve("b.jsonl"), "{\"id\": \"2\", \"text\": \"fn f() {}\"}\n");
    candidate = Files.createDirectories(tmp.resolve("candidate")).resolve("model.safetensors");
    Files.write(candidate, (CONFIG + Files.readString(text.resolve("a.jsonl"))).getBytes(StandardCharsets.UTF_8));
    marker = tmp.resolve("ran");
    frozenDataset = datasetDigest();
  }

  @Test
  void shippedWithTheJobTheRebuildRunsInATaskAndIsRecordedAsAnExecutorRebuild() throws Exception {
    java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
    ReleaseMetadata.Rebuild r = new RebuildStage(new java.io.PrintStream(progress, true, StandardCharsets.UTF_8)).onExecutor(sc(),
        command(), config, candidate, FileDigests.sha256(candidate), frozen(Map.of()), null, Files.createDirectories(tmp.resolve("work")));
    assertTrue(progress.toString(StandardCharsets.UTF_8).contains("rebuild: on an executor (4 input files, SPARK_FILES)"), progress.toString());
    assertEquals(ReleaseMetadata.RebuildKind.EXECUTOR, r.kind());
    assertTrue(r.checked());
    assertEquals(FileDigests.sha256(candidate), r.modelHash());
    assertEquals("cpu", r.device());
    assertTrue(Files.exists(marker));
  }

  @Test
  void stagedOnTheReleaseRootsFileSystemTheInputsArriveWithTheirLayoutAndTheStagingIsRemoved() throws Exception {
    SparkContext sc = sc();
    Path staging = Files.createDirectories(tmp.resolve("root/.staging"));
    sc.conf().set(FileShipment.MAX_SHIP_BYTES_KEY, "0");
    try {
      java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
      ReleaseMetadata.Rebuild r = new RebuildStage(new java.io.PrintStream(progress, true, StandardCharsets.UTF_8)).onExecutor(sc,
          command(), config, candidate, FileDigests.sha256(candidate), frozen(Map.of()), new org.apache.hadoop.fs.Path(staging.toUri()),
          Files.createDirectories(tmp.resolve("work")));
      assertTrue(progress.toString(StandardCharsets.UTF_8).contains("(4 input files, SHARED_STORAGE)"), progress.toString());
      assertEquals(ReleaseMetadata.RebuildKind.EXECUTOR, r.kind());
    } finally {
      sc.conf().remove(FileShipment.MAX_SHIP_BYTES_KEY);
    }
    assertEquals(List.of(), ReleaseFixtures.snapshot(staging).keySet().stream().toList(), "staging left empty");
  }

  @Test
  void anotherModelIsExit4AndChangesNoInput() throws Exception {
    Files.writeString(candidate, "weights trained elsewhere");
    Map<String, String> before = ReleaseFixtures.snapshot(tmp.resolve("ws"));
    IntegrityException e = assertThrows(IntegrityException.class, () -> stage().onExecutor(sc(), command(), config, candidate,
        FileDigests.sha256(candidate), frozen(Map.of()), null, Files.createDirectories(tmp.resolve("work"))));
    assertRefusal(e, 4, "rebuild from scratch gave a different model: candidate model.safetensors " + FileDigests.sha256(candidate));
    assertEquals(before, ReleaseFixtures.snapshot(tmp.resolve("ws")), "inputs unchanged");
  }

  @Test
  void aFailingCommandIsExit1NamingTheHostAndItsLastLines() throws Exception {
    List<String> failing = List.of("sh", "-c", "echo out of memory on the rebuild node; exit 3", "{config}", "{out}");
    InfrastructureException e = assertThrows(InfrastructureException.class, () -> stage().onExecutor(sc(), failing, config, candidate,
        FileDigests.sha256(candidate), frozen(Map.of()), null, Files.createDirectories(tmp.resolve("work"))));
    assertRefusal(e, 1, "' exited 3; last lines: out of memory on the rebuild node");
    assertTrue(e.getMessage().startsWith("rebuild on executor "), e.getMessage());
  }

  @Test
  void inputsOtherThanTheFrozenOnesAreRefusedOnTheDriverBeforeAnythingRunsOrShips() throws Exception {
    Files.writeString(tmp.resolve("ws/data/text/b.jsonl"), "{\"id\": \"2\", \"text\": \"changed\"}\n");
    BadInputException e = assertThrows(BadInputException.class, () -> stage().onExecutor(sc(), command(), config, candidate,
        FileDigests.sha256(candidate), frozen(Map.of()), null, Files.createDirectories(tmp.resolve("work"))));
    assertRefusal(e, 2, ": data (train.dataset_directory) has sha256 " + datasetDigest());
    assertTrue(e.getMessage().contains("not the frozen dataset (release.dataset) " + frozenDataset), e.getMessage());
    assertFalse(Files.exists(marker), "the command did not run");
  }

  @Test
  void aCopyChangedOnItsWayIsRefusedOnTheExecutorWithExit4AndTheCommandNeverRuns() throws Exception {
    RebuildInputs inputs = RebuildInputs.of(config);
    RebuildInputs.Expected expected = expected();
    // The staged copy, as a third party with write access to the staging area left it.
    Path staged = tmp.resolve("staged");
    for (String f : inputs.files()) {
      Files.createDirectories(staged.resolve(f).getParent());
      Files.copy(inputs.base().resolve(f), staged.resolve(f));
    }
    Files.writeString(staged.resolve("data/text/a.jsonl"), "{\"id\": \"1\", \"text\": \"poisoned\"}\n");
    ShippedFiles shipped = new ShippedFiles(ShippedFiles.Route.SHARED_STORAGE, staged.toUri().toString(), inputs.files(),
        new SerializableHadoopConf(new Configuration()));
    ExecutorRebuildTask task = new ExecutorRebuildTask(shipped, inputs, expected, command(), 1);
    IntegrityException e = assertThrows(IntegrityException.class, () -> task.call(0));
    assertRefusal(e, 4, ": the shipped copy of data (train.dataset_directory) has sha256 ");
    assertFalse(Files.exists(marker), "the command did not run");
  }

  @Test
  void pathsTheConfigDoesNotHoldRelativeAndAGpuCandidateAreRefusedBeforeShipping() throws Exception {
    Files.writeString(config, CONFIG.replace("\"../data\"", "\"/srv/data\""));
    BadInputException e = assertThrows(BadInputException.class, () -> RebuildInputs.of(config));
    assertRefusal(e, 2, "train.dataset_directory: '/srv/data' is not relative to the config");
    Files.writeString(config, CONFIG);

    IntegrityException gpu = assertThrows(IntegrityException.class, () -> stage().onExecutor(sc(), command(), config, candidate,
        FileDigests.sha256(candidate), frozen(Map.of("device", "NVIDIA H100 80GB HBM3")), null, tmp.resolve("work")));
    assertRefusal(gpu, 4, "the candidate records device 'NVIDIA H100 80GB HBM3'");
    assertFalse(Files.exists(marker), "the command did not run");
  }

  @Test
  void theConfigSaysWhereTheRebuildRunsAndAnExecutorNeedsACommand() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Path file = io.m31r.release.sample.SampleReleaseConfig.write(dir, "fn main() {");
    com.fasterxml.jackson.dataformat.yaml.YAMLMapper yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
    com.fasterxml.jackson.databind.node.ObjectNode doc = (com.fasterxml.jackson.databind.node.ObjectNode) yaml.readTree(file.toFile());
    com.fasterxml.jackson.databind.node.ObjectNode release = (com.fasterxml.jackson.databind.node.ObjectNode) doc.get("release");
    io.m31r.release.config.ConfigLoader loader = new io.m31r.release.config.ConfigLoader();
    assertFalse(loader.parse("release.yaml", yaml.writeValueAsBytes(doc)).release().rebuildOnExecutor(), "driver by default");
    release.put("rebuild_on", "executor");
    assertTrue(loader.parse("release.yaml", yaml.writeValueAsBytes(doc)).release().rebuildOnExecutor());
    release.put("rebuild_on", "gpu-node");
    assertRefusal(assertThrows(BadInputException.class, () -> loader.parse("release.yaml", yaml.writeValueAsBytes(doc))), 2,
        "release.rebuild_on: must be driver or executor, not 'gpu-node'");
    release.put("rebuild_on", "executor");
    release.putArray("rebuild_command");
    assertRefusal(assertThrows(BadInputException.class, () -> loader.parse("release.yaml", yaml.writeValueAsBytes(doc))), 2,
        "release.rebuild_on: executor needs a non-empty release.rebuild_command");
  }

  private static void assertRefusal(ReleaseException e, int code, String expected) {
    assertEquals(code, e.exitCode().code(), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  private List<String> command() {
    return List.of(COMMAND.get(0), COMMAND.get(1), COMMAND.get(2), COMMAND.get(3), COMMAND.get(4), COMMAND.get(5), marker.toString());
  }

  private static RebuildStage stage() {
    return new RebuildStage(null);
  }

  private static SparkContext sc() {
    return TestSpark.session().sparkContext();
  }

  private String datasetDigest() {
    return DatasetDigest.rootSha256(tmp.resolve("ws/data"));
  }

  private RebuildInputs.Expected expected() throws Exception {
    return new RebuildInputs.Expected(FileDigests.sha256(config), FileDigests.sha256(tmp.resolve("ws/train/tokenizer.json")),
        frozenDataset);
  }

  /** The digests as export froze them, before a test changed a file. */
  private FrozenArtifacts frozen(Map<String, String> checkpointMetadata) throws Exception {
    String ds = frozenDataset;
    RebuildInputs.Expected e = expected();
    DatasetManifest dataset = new DatasetManifest(DatasetManifest.FORMAT_VERSION, new DatasetSelection("/data", null, false), ds, List.of());
    return new FrozenArtifacts(
        dataset, "/data", new FrozenBundle(tmp.resolve("candidate"), Sha256.hex(new byte[0]), e.tokenizerSha256(), e.configSha256()),
        checkpointMetadata, 7);
  }

}
