package io.m31r.release.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.logging.Redaction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The secret scan and the log redaction share one catalogue: every credential shape either of them
 * knew before is flagged by the scan and masked by the redaction. Values are obviously fake and
 * assembled so that scanners reading this source do not mistake them for credentials.
 */
class SecretCatalogueTest {
  private static final String AWS_TAIL = "IOSFODNN7EXAMPLE";

  /** One sample per shape, with the kind the scan must report. */
  private static final Map<String, SecretKind> SAMPLES = Map.ofEntries(
      Map.entry("AKIA" + AWS_TAIL, SecretKind.AWS_ACCESS_KEY_ID),
      Map.entry("ASIA" + AWS_TAIL, SecretKind.AWS_ACCESS_KEY_ID),
      Map.entry("ABIA" + AWS_TAIL, SecretKind.AWS_ACCESS_KEY_ID),
      Map.entry("ACCA" + AWS_TAIL, SecretKind.AWS_ACCESS_KEY_ID),
      Map.entry("AGPA" + AWS_TAIL, SecretKind.AWS_ACCESS_KEY_ID),
      Map.entry("AIDA" + AWS_TAIL, SecretKind.AWS_ACCESS_KEY_ID),
      Map.entry("AIPA" + AWS_TAIL, SecretKind.AWS_ACCESS_KEY_ID),
      Map.entry("ANPA" + AWS_TAIL, SecretKind.AWS_ACCESS_KEY_ID),
      Map.entry("ANVA" + AWS_TAIL, SecretKind.AWS_ACCESS_KEY_ID),
      Map.entry("AROA" + AWS_TAIL, SecretKind.AWS_ACCESS_KEY_ID),
      Map.entry("APKA" + AWS_TAIL, SecretKind.AWS_ACCESS_KEY_ID),
      Map.entry("A3TX" + AWS_TAIL, SecretKind.AWS_ACCESS_KEY_ID),
      Map.entry("ghp_" + "FAKE".repeat(9), SecretKind.GITHUB_TOKEN),
      Map.entry("github_pat_" + "FAKE_".repeat(5), SecretKind.GITHUB_TOKEN),
      Map.entry("xox" + "b-000000000-FAKE-example", SecretKind.SLACK_TOKEN),
      Map.entry("xox" + "o-000000000-FAKE-example", SecretKind.SLACK_TOKEN),
      Map.entry("xox" + "s-000000000-FAKE-example", SecretKind.SLACK_TOKEN),
      Map.entry("https://hooks.slack.com/" + "services/T000/B000/FAKEFAKE", SecretKind.SLACK_WEBHOOK));

  @Test
  void everyShapeIsFlaggedByTheScanAndMaskedByTheRedaction() {
    for (Map.Entry<String, SecretKind> e : SAMPLES.entrySet()) {
      String line = "see " + e.getKey() + " here";
      List<SecretFinding> findings = SecretScan.scan("README.txt", line);
      assertEquals(1, findings.size(), e.getKey() + ": " + findings);
      assertEquals(e.getValue(), findings.get(0).kind(), e.getKey());
      assertFalse(findings.get(0).describe().contains(e.getKey()), "the value never appears in a finding");
      assertEquals("see " + Redaction.MASK + " here", Redaction.standard().maskText(line), e.getKey());
    }
  }

  @Test
  void theSecretKeyWordsOfEitherSideNowCountForBoth() {
    String credential = "db_credential: \"s3cr3t-value-long\"";
    assertEquals(SecretKind.SECRET_ASSIGNMENT, SecretScan.scan("config.yaml", credential).get(0).kind());
    assertTrue(Redaction.standard().maskText(credential).endsWith(Redaction.MASK), credential);
    String passphrase = "key_passphrase=s3cr3t-value-long";
    assertEquals(SecretKind.SECRET_ASSIGNMENT, SecretScan.scan(".env", passphrase).get(0).kind());
    assertEquals("key_passphrase=" + Redaction.MASK, Redaction.standard().maskText(passphrase));
  }
}
