package io.m31r.release.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.m31r.release.sample.SampleWorkspace;
import io.m31r.release.signing.KeyPairFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A rebuild "done elsewhere" for a sample workspace: a key from {@code m31r keygen}, a trusted-keys
 * file holding its public half, a record from {@code m31r attest-rebuild}, all in {@code outside}
 * (the workspace's parent folder), and the workspace's release.yaml pointing at them instead of
 * retraining. The sample trainer gives identical bytes, so the model stands in for its rebuild.
 */
public final class AttestedRebuilds {
  /** The command the record names. */
  public static final String COMMAND = "scripts/m31r sample --rebuild-model --config config.yaml --out rebuilt";

  /** The signed record and the hint of the key that signed it. */
  public record Attested(Path record, String keyHint) {}

  private AttestedRebuilds() {}

  /** Records and signs a rebuild of {@code modelDir/model.safetensors}; release.yaml is changed, not committed. */
  public static Attested attest(Path ws, Path modelDir, Path outside) throws IOException {
    Path keys = outside.resolve("rebuild-keys");
    assertEquals(0, Cli.runWithoutSpark("keygen", "--out", keys.toString()).exitCode());
    StringBuilder trusted = new StringBuilder("keys:\n  - name: training-cluster\n    public_key: |\n");
    Files.readString(keys.resolve(KeyPairFiles.PUBLIC)).lines().forEach(l -> trusted.append("      ").append(l).append('\n'));
    Files.writeString(outside.resolve("trusted-rebuild-keys.yaml"), trusted.toString());
    Path record = outside.resolve("rebuild-record.json");
    Cli.Run attest = Cli.run("attest-rebuild", "--model", modelDir.resolve("model.safetensors").toString(),
        "--training-config", ws.resolve(SampleWorkspace.TRAINING_CONFIG).toString(),
        "--dataset", ws.resolve(SampleWorkspace.DATASET).toString(), "--tokenizer", ws.resolve(SampleWorkspace.TOKENIZER).toString(),
        "--command", COMMAND, "--key", keys.resolve(KeyPairFiles.PRIVATE).toString(), "--out", record.toString(), "--quiet");
    assertEquals(0, attest.exitCode(), attest.err());
    String hint = attest.out().lines().filter(l -> l.startsWith("signed: key hint ")).findFirst().orElseThrow().substring(17);

    Path config = ws.resolve("release.yaml");
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode doc = (ObjectNode) yaml.readTree(config.toFile());
    ObjectNode release = (ObjectNode) doc.get("release");
    release.putArray("rebuild_command");
    release.put("rebuild_attestation", ws.relativize(record).toString());
    release.put("rebuild_trusted_keys", ws.relativize(outside.resolve("trusted-rebuild-keys.yaml")).toString());
    Files.write(config, yaml.writeValueAsBytes(doc));
    return new Attested(record, hint);
  }
}
