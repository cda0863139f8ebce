package io.m31r.release.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.config.ConfigLoader;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.logging.Redaction;
import io.m31r.release.preflight.SecretKind;
import io.m31r.release.preflight.SecretScan;
import io.m31r.release.sample.SampleReleaseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key m31r keygen writes is recognised as a secret, never inlined in config, never printed. */
class KeyHygieneTest {
  @TempDir Path tmp;

  @Test
  void generatedKeyIsFoundBySecretScanAndMaskedInLogs() throws Exception {
    KeyPairFiles.generate(tmp);
    String pem = Files.readString(tmp.resolve(KeyPairFiles.PRIVATE));
    List<String> body = pem.lines().filter(l -> !l.startsWith("-----")).toList();
    var findings = SecretScan.scan("README.txt", "notes\n" + pem);
    assertEquals(1, findings.size(), findings.toString());
    assertEquals(SecretKind.PRIVATE_KEY, findings.get(0).kind());
    String masked = Redaction.standard().maskText("loaded " + pem + " done");
    SigningKey key = SigningKey.fromPem(pem.getBytes(), "k");
    for (String line : body) {
      assertFalse(findings.toString().contains(line));
      assertFalse(masked.contains(line), masked);
      assertFalse(key.toString().contains(line));
    }
  }

  @Test
  void configNamesTheKeyNeverHoldsIt() throws Exception {
    Path file = SampleReleaseConfig.write(tmp, "fn main() {");
    String yaml = Files.readString(file);
    var loader = new ConfigLoader();
    assertEquals(SampleReleaseConfig.SIGNING_KEY_ENV, loader.load(file).release().signing().privateKeyEnv());
    String both = yaml + "    private_key_file: \"keys/signing-key.pem\"\n";
    assertTrue(assertThrows(BadInputException.class, () -> loader.parse("r.yaml", both.getBytes())).getMessage()
        .contains("release.signing: give private_key_file or private_key_env, not both"));
    String inline = yaml.replace("private_key_env: \"M31R_SIGNING_KEY\"", "private_key_file: \"-----BEGIN PRIVATE KEY-----\"");
    assertTrue(assertThrows(BadInputException.class, () -> loader.parse("r.yaml", inline.getBytes())).getMessage()
        .contains("never the key itself"));
    String gpg = yaml + "  tag_signing:\n    format: \"openpgp\"\n    private_key_env: \"K\"\n";
    assertTrue(assertThrows(BadInputException.class, () -> loader.parse("r.yaml", gpg.getBytes())).getMessage()
        .contains("release.tag_signing.format: only 'ssh' is supported"));
    String unknown = yaml + "    private_key: \"x\"\n";
    assertTrue(assertThrows(BadInputException.class, () -> loader.parse("r.yaml", unknown.getBytes())).getMessage()
        .contains("unknown key"));
    String ssh = yaml + "  tag_signing:\n    format: \"ssh\"\n    private_key_file: \"keys/tag.pem\"\n";
    assertEquals("keys/tag.pem", loader.parse("r.yaml", ssh.getBytes()).release().tagSigning().privateKeyFile());
  }

  @Test
  void missingKeyFileIsAConfigErrorNamingThePathOnly() {
    var e = assertThrows(BadInputException.class,
        () -> KeySource.system().load("release.signing", "nope.pem", null, tmp));
    assertTrue(e.getMessage().contains("release.signing.private_key_file: no file at"), e.getMessage());
  }
}
