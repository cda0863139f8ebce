package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.sample.SampleWorkspace;
import io.m31r.release.testing.AttestedRebuilds;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.SampleWorkspaces;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A type A release whose rebuild was done elsewhere: {@code m31r attest-rebuild} records the
 * rebuild (the sample's model stands in for the rebuilt one: the trainer gives identical bytes) and
 * signs it with a key from {@code m31r keygen}; export checks the record instead of retraining.
 */
class AttestedExportEndToEndTest {
  @TempDir Path tmp;

  @Test
  void aTypeAReleaseWithASignedRebuildRecordIsPublishedWithoutRetrainingAndVerifies() throws Exception {
    Path parent = tmp.resolve("att");
    Path ws = SampleWorkspaces.copy(parent);
    // release.yaml: no retraining here, the record and the keys it must be signed by instead.
    AttestedRebuilds.Attested attested = AttestedRebuilds.attest(ws, ws.resolve(SampleWorkspace.CHECKPOINT), parent);
    Path record = attested.record();
    String hint = attested.keyHint();
    Path config = ws.resolve("release.yaml");
    SampleWorkspaces.commitAll(ws, "build(release): rebuild attested by the training cluster");

    Cli.Run export = Cli.run("--config", config.toString(), "export", "--version", "0.1.0", "--type", "A", "--quiet");
    assertEquals(0, export.exitCode(), export.err());
    assertTrue(export.out().contains("(rebuilt elsewhere: the signed record's model is identical)"), export.out());
    Path releaseRoot = parent.resolve("release");
    Cli.Run verify = Cli.run("verify", "0.1.0", "--root", releaseRoot.toString());
    assertEquals(0, verify.exitCode(), verify.out() + verify.err());

    JsonNode metadata = CanonicalJson.mapper().readTree(releaseRoot.resolve("0.1.0/metadata.json").toFile());
    JsonNode rebuild = metadata.get("rebuild");
    assertEquals("attested", rebuild.get("kind").asText(), rebuild.toString());
    assertTrue(rebuild.get("checked").asBoolean(), rebuild.toString());
    assertEquals(metadata.get("model_hash").asText(), rebuild.get("model_hash").asText());
    assertEquals(hint, rebuild.get("key_hint").asText());
    assertEquals(Sha256.hex(Files.readAllBytes(record)), rebuild.get("record_sha256").asText());
    assertEquals("cpu", rebuild.get("device").asText());
    assertEquals(AttestedRebuilds.COMMAND, rebuild.get("command").asText());
    assertEquals("0.1.0\n", Files.readString(releaseRoot.resolve("CURRENT")));
    assertFalse(Files.exists(ws.resolve("rebuild")), "nothing was retrained into the work tree");
  }
}
