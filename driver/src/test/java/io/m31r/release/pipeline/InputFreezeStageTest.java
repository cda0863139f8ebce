package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.config.ConfigLoader;
import io.m31r.release.config.ReleaseConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.model.bundle.FileDigests;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.testing.SampleWorkspaces;
import io.m31r.release.testing.TestSpark;
import io.m31r.release.testing.TreeDigests;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The freeze stage alone, without the command line: the shared local Spark session freezes the
 * sample workspace's dataset, and the checkpoint is traced to what was frozen. A refusal names
 * the mismatch and leaves the workspace and the release root as they were.
 */
class InputFreezeStageTest {
  @TempDir Path tmp;

  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

  private FrozenArtifacts freeze(Path ws, Path work) {
    ReleaseConfig config = new ConfigLoader().load(ws.resolve("release.yaml"));
    ReleaseInputs in = ReleaseInputs.resolve(config.requireRelease("test"), ws);
    return new InputFreezeStage(TestSpark.session(), config.freeze(), new PrintStream(progress, true, StandardCharsets.UTF_8))
        .run(in, work, ReleaseType.A, Optional.empty());
  }

  @Test
  void freezesTheInputsTheCheckpointWasTrainedOn() throws Exception {
    Path ws = SampleWorkspaces.copy(tmp);
    ReleaseInputs in = ReleaseInputs.resolve(new ConfigLoader().load(ws.resolve("release.yaml")).requireRelease("test"), ws);
    Path work = Files.createDirectories(tmp.resolve("work"));
    FrozenArtifacts frozen = freeze(ws, work);
    assertEquals(FileDigests.sha256(in.tokenizer()), frozen.tokenizerSha256());
    assertEquals(FileDigests.sha256(in.trainingConfig()), frozen.configSha256());
    assertEquals(FileDigests.sha256(in.model()), frozen.modelSha256());
    // The sample checkpoint records the dataset it was trained on: the frozen root digest is that one.
    assertEquals(frozen.checkpointMetadata().get(Traceability.DATASET), frozen.dataset().rootSha256());
    assertTrue(Files.isRegularFile(work.resolve("dataset-manifest.json")), "the manifest is written to the work folder");

    // The bundle holds byte copies of what was frozen, listed in its checksum.txt; a source
    // changed after the freeze changes neither.
    FrozenBundle bundle = frozen.bundle();
    assertEquals(work.resolve("candidate"), bundle.dir());
    assertEquals(Files.readString(in.tokenizer()), Files.readString(bundle.tokenizer()));
    Files.writeString(in.model(), "changed after the freeze");
    assertEquals(frozen.modelSha256(), FileDigests.sha256(bundle.model()));
    assertEquals(frozen.configSha256(), FileDigests.sha256(bundle.config()));
    assertEquals(
        frozen.configSha256() + "  config.yaml\n" + frozen.modelSha256() + "  model.safetensors\n" + frozen.tokenizerSha256() + "  tokenizer.json\n",
        Files.readString(bundle.dir().resolve("checksum.txt")));
  }

  @Test
  void aSecretInTheFrozenCheckpointIsRefusedBeforeTheDatasetIsHashed() throws Exception {
    // As if the checkpoint were replaced after preflight scanned it: the freeze scans its copy.
    Path ws = SampleWorkspaces.copy(tmp);
    ReleaseInputs in = ReleaseInputs.resolve(new ConfigLoader().load(ws.resolve("release.yaml")).requireRelease("test"), ws);
    String key = "AKIA" + "IOSFODNN7EXAMPLE";
    addMetadata(in.model(), "notes", "uploaded with " + key);
    Map<String, String> treeBefore = TreeDigests.of(ws, false);
    Path work = Files.createDirectories(tmp.resolve("work"));

    GateFailedException e = assertThrows(GateFailedException.class, () -> freeze(ws, work));
    assertEquals(ExitCode.GATE_BLOCKED, e.exitCode());
    assertTrue(e.getMessage().contains("model.safetensors __metadata__"), e.getMessage());
    assertFalse(e.getMessage().contains(key), e.getMessage());
    assertFalse(Files.exists(work.resolve("dataset-manifest.json")), "refused before the dataset was hashed");
    assertEquals(treeBefore, TreeDigests.of(ws, false), "workspace " + ws);
  }

  /** Rewrites the safetensors header with one more {@code __metadata__} entry; the tensors keep their bytes. */
  private static void addMetadata(Path model, String key, String value) throws Exception {
    byte[] all = Files.readAllBytes(model);
    int length = (int) ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    ObjectMapper json = new ObjectMapper();
    ObjectNode header = (ObjectNode) json.readTree(new String(all, 8, length, StandardCharsets.UTF_8));
    ((ObjectNode) header.get("__metadata__")).put(key, value);
    StringBuilder text = new StringBuilder(json.writeValueAsString(header));
    while (text.length() % 8 != 0) {
      text.append(' ');
    }
    byte[] h = text.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(8 + h.length + all.length - 8 - length).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(h.length).put(h).put(all, 8 + length, all.length - 8 - length);
    model.toFile().setWritable(true);
    Files.write(model, out.array());
  }

  @Test
  void aCheckpointNotTraceableToTheFrozenTokenizerIsRefusedAndNothingChanges() throws Exception {
    Path ws = SampleWorkspaces.copy(tmp);
    ReleaseInputs in = ReleaseInputs.resolve(new ConfigLoader().load(ws.resolve("release.yaml")).requireRelease("test"), ws);
    // One byte more: still a tokenizer file, but not the one the checkpoint was trained with.
    Files.writeString(in.tokenizer(), "\n", StandardOpenOption.APPEND);
    Path root = ws.resolveSibling("release");
    Map<String, String> treeBefore = TreeDigests.of(ws, false);
    Map<String, String> rootBefore = TreeDigests.of(root, false);
    Path work = Files.createDirectories(tmp.resolve("work"));

    IntegrityException e = assertThrows(IntegrityException.class, () -> freeze(ws, work));
    assertEquals(ExitCode.INTEGRITY, e.exitCode());
    assertTrue(e.getMessage().startsWith("checkpoint traceability: __metadata__." + Traceability.TOKENIZER
        + ": checkpoint was trained with tokenizer "), e.getMessage());
    assertTrue(e.getMessage().contains("but the frozen tokenizer is " + FileDigests.sha256(in.tokenizer())), e.getMessage());
    assertEquals(treeBefore, TreeDigests.of(ws, false), "workspace " + ws);
    assertEquals(rootBefore, TreeDigests.of(root, false), "release root " + root);
  }
}
