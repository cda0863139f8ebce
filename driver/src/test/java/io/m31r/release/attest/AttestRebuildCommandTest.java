package io.m31r.release.attest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.hashing.Sha256;
import io.m31r.release.model.safetensors.F32SafetensorsWriter;
import io.m31r.release.model.training.DatasetDigest;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.ReleaseFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code m31r attest-rebuild} on the real CLI with the shared Spark session: the record names the
 * inputs as export freezes them (the dataset's root digest agrees with the trainer's own, computed
 * without Spark), an existing record is never replaced, and a model that traces to other inputs
 * gets no record.
 */
class AttestRebuildCommandTest {
  @TempDir Path tmp;

  @Test
  void recordsTheFrozenInputsNeverOverwritesAndRefusesAModelTracedToAnotherDataset() throws Exception {
    Path dataset = tmp.resolve("dataset");
    Files.createDirectories(dataset.resolve("text"));
    Files.writeString(dataset.resolve("text/a.jsonl"), "{\"id\": 1, \"text\": \"fn a() {}\"}\n");
    Files.writeString(dataset.resolve("text/b.jsonl"), "{\"id\": 2, \"text\": \"fn b() {}\"}\n");
    Path config = Files.writeString(tmp.resolve("config.yaml"), ReleaseFixtures.configYaml() + "global:\n  seed: 7\n");
    Path tokenizer = Files.writeString(tmp.resolve("tokenizer.json"), "{\"model\": {}}\n");
    String root = DatasetDigest.rootSha256(dataset);
    Path model = model("model.safetensors", Map.of("format", "pt", "dataset_sha256", root));

    Path out = tmp.resolve("records/rebuild.json");
    Cli.Run made = attest(model, dataset, config, tokenizer, out);
    assertEquals(0, made.exitCode(), made.err());
    assertTrue(made.out().contains("unsigned: an unsigned record supports a type D (experimental) release only"), made.out());
    RebuildAttestation att = RebuildAttestation.read(out);
    assertFalse(att.signed());
    RebuildRecord r = att.record();
    assertEquals(Sha256.hex(Files.readAllBytes(model)), r.modelSha256());
    assertEquals(new RebuildRecord.Inputs(root, Sha256.hex(Files.readAllBytes(tokenizer)), Sha256.hex(Files.readAllBytes(config)), 7),
        r.inputs());
    assertEquals("train.sh --seed 7", r.command());
    assertEquals("cpu", r.machine().device());
    assertArrayEquals(r.statement(), Files.readAllBytes(out), "an unsigned record is the bare canonical statement");

    byte[] before = Files.readAllBytes(out);
    Cli.Run again = attest(model, dataset, config, tokenizer, out);
    assertEquals(5, again.exitCode(), again.err());
    assertTrue(again.err().contains("rebuild attestation " + out + " already exists"), again.err());
    assertArrayEquals(before, Files.readAllBytes(out));

    Path elsewhere = model("elsewhere.safetensors", Map.of("format", "pt", "dataset_sha256", Sha256.hex("another dataset")));
    Path none = tmp.resolve("records/none.json");
    Cli.Run traced = attest(elsewhere, dataset, config, tokenizer, none);
    assertEquals(4, traced.exitCode(), traced.err());
    assertTrue(traced.err().contains("checkpoint traceability"), traced.err());
    assertFalse(Files.exists(none), "no record for a model trained on other inputs");
  }

  private Cli.Run attest(Path model, Path dataset, Path config, Path tokenizer, Path out) {
    return Cli.run("attest-rebuild", "--model", model.toString(), "--training-config", config.toString(),
        "--dataset", dataset.toString(), "--tokenizer", tokenizer.toString(), "--command", "train.sh --seed 7",
        "--out", out.toString(), "--quiet");
  }

  private Path model(String name, Map<String, String> metadata) {
    Path file = tmp.resolve(name);
    F32SafetensorsWriter.write(file, metadata,
        List.of(new F32SafetensorsWriter.Tensor("tok_embeddings.embedding.weight", new long[] {2, 2}, new float[] {1, 2, 3, 4})));
    return file;
  }
}
