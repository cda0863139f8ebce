package io.m31r.release.preflight;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.model.tokenizer.BpeTrainer;
import io.m31r.release.model.tokenizer.HfTokenizerJson;
import io.m31r.release.sample.RustCorpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretScanTest {
  // Obviously fake values that still match the patterns; the private-key header is assembled so
  // that scanners reading this source do not mistake it for a key.
  private static final String AWS_ID_TAIL = "IOSFODNN7EXAMPLE";
  private static final String AWS_ID = "AKIA" + AWS_ID_TAIL;
  private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String GITHUB_TAIL = "FAKE".repeat(9);
  private static final String GITHUB = "ghp_" + GITHUB_TAIL;
  private static final String SLACK_TAIL = "000000000-FAKE-example";
  private static final String SLACK = "xoxb-" + SLACK_TAIL;
  private static final String KEY_BODY = "MIIEFAKEFAKEnotAkeyJustTextForTests0123456789abcdefABCDEF";
  private static final String PRIVATE_KEY =
      "-----BEGIN " + "RSA PRIVATE" + " KEY-----\n" + KEY_BODY + "\n" + KEY_BODY + "\n-----END RSA " + "PRIVATE KEY-----\n";
  private static final String PASSWORD = "hunter2hunter2";
  private static final String RANDOM40 = "Zx9Qm2Lp7Rt4Vw8Ks1Nd6Hf3Jb5Gc0Ya2Ue7Io4P";

  @TempDir Path tmp;

  private static SecretFinding only(List<SecretFinding> findings) {
    assertEquals(1, findings.size(), findings.toString());
    return findings.get(0);
  }

  /** The finding is where and what it should be, and neither it nor the gate message leaks the value. */
  private static void assertFound(String text, int line, SecretKind kind, String... secretParts) {
    SecretFinding f = only(SecretScan.scan("config.yaml", text));
    assertEquals(new SecretFinding("config.yaml", line, kind, f.masked()), f);
    GateFailedException e = assertThrows(GateFailedException.class, () -> SecretScan.requireNone(List.of(f)));
    assertEquals(ExitCode.GATE_BLOCKED, e.exitCode());
    assertTrue(e.getMessage().startsWith("secret scan: 1 possible secret: config.yaml line " + line + ": " + kind.label()),
        e.getMessage());
    for (String part : secretParts) {
      assertFalse(e.getMessage().contains(part), "leaks " + part + ": " + e.getMessage());
      assertFalse(f.describe().contains(part), f.describe());
    }
  }

  @Test
  void awsAccessKeyIdIsFoundAndMasked() {
    assertFound("global:\n  seed: 42\n  note: " + AWS_ID + "\n", 3, SecretKind.AWS_ACCESS_KEY_ID, AWS_ID, AWS_ID_TAIL);
    SecretFinding f = only(SecretScan.scan("config.yaml", "x: " + AWS_ID));
    assertEquals("config.yaml line 1: AWS access key id AKIA... (20 chars)", f.describe());
    assertEquals(SecretKind.AWS_ACCESS_KEY_ID, only(SecretScan.scan("s", "ASIA" + AWS_ID_TAIL)).kind());
  }

  @Test
  void awsSecretAssignmentsAreFound() {
    assertFound("aws_secret_access_key = " + AWS_SECRET + "\n", 1, SecretKind.AWS_SECRET_ACCESS_KEY, AWS_SECRET, "bPxRfiCY");
    assertFound("{\n  \"AWS_SECRET_KEY\": \"" + AWS_SECRET + "\"\n}", 2, SecretKind.AWS_SECRET_ACCESS_KEY, AWS_SECRET);
  }

  @Test
  void privateKeyBlocksAreOneFinding() {
    assertFound("a: 1\n" + PRIVATE_KEY + "b: 2\n", 2, SecretKind.PRIVATE_KEY, KEY_BODY);
    String pgp = "-----BEGIN PGP " + "PRIVATE KEY BLOCK-----\n" + KEY_BODY + "\n";
    assertEquals(SecretKind.PRIVATE_KEY, only(SecretScan.scan("README.txt", pgp)).kind());
    assertEquals(List.of(), SecretScan.scan("README.txt", "-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n"));
  }

  @Test
  void githubAndSlackTokensAreFound() {
    assertFound("runtime:\n  hub: " + GITHUB + "\n", 2, SecretKind.GITHUB_TOKEN, GITHUB, GITHUB_TAIL);
    assertEquals(
        "README.txt line 1: GitHub token ghp_... (40 chars)", only(SecretScan.scan("README.txt", GITHUB)).describe());
    String pat = "github_pat_" + "11FAKE0000" + "_" + "x".repeat(20);
    assertEquals(SecretKind.GITHUB_TOKEN, only(SecretScan.scan("s", "use " + pat + " here")).kind());
    assertFound("notify: " + SLACK + "\n", 1, SecretKind.SLACK_TOKEN, SLACK, SLACK_TAIL);
  }

  @Test
  void genericAssignmentsWithARealLookingValueAreFound() {
    assertFound("db:\n  password: " + PASSWORD + "\n", 2, SecretKind.SECRET_ASSIGNMENT, PASSWORD);
    assertFound("export API_KEY=" + PASSWORD + "  # local\n", 1, SecretKind.SECRET_ASSIGNMENT, PASSWORD);
    assertFound("{\"hf_token\": \"" + PASSWORD + "\"}", 1, SecretKind.SECRET_ASSIGNMENT, PASSWORD);
    assertFound("let client_secret = '" + PASSWORD + "';", 1, SecretKind.SECRET_ASSIGNMENT, PASSWORD);
    assertFound("fs.s3a.secret.key=" + PASSWORD, 1, SecretKind.SECRET_ASSIGNMENT, PASSWORD);
    assertEquals(
        "config.yaml line 1: password/secret/token assignment to key 'password' (value withheld, 14 chars)",
        only(SecretScan.scan("config.yaml", "password: " + PASSWORD)).describe());
  }

  @Test
  void placeholdersNumbersAndCodeAreNotSecrets() {
    String text =
        String.join(
            "\n",
            "password: ${DB_PASSWORD}",
            "api_key: \"<your key here>\"",
            "token: changeme",
            "secret: \"********\"",
            "max_tokens: 1048576",
            "tokenizer_path: \"data/tokenizer-overfit\"",
            "\"unk_token\": \"<unk>\",",
            "fn parse(token: TokenStream) -> TokenStream {",
            "    token: TokenStream,",
            "    let password = read_password_from_stdin();",
            "    if token == expected_token_value { return; }",
            "short_token: abc");
    assertEquals(List.of(), SecretScan.scan("README.txt", text));
  }

  @Test
  void highEntropyRunsAreFoundButDigestsAndPathsAreNot() {
    assertFound("blob: " + RANDOM40 + "\n", 1, SecretKind.HIGH_ENTROPY, RANDOM40, RANDOM40.substring(8, 24));
    String sha256 = Sha256.hex("m31r");
    String text =
        String.join(
            "\n",
            sha256 + "  model.safetensors",
            "config_sha256: " + sha256,
            "git_commit: " + sha256.substring(0, 40),
            "provider: org/apache/hadoop/fs/s3a/SimpleAWSCredentialsProvider",
            "dataset_directory: datasets/dev-overfit/shards/shard_0001_of_0004",
            "name: this_is_a_very_long_snake_case_identifier_name",
            "CONSTANT_NAME_THAT_IS_LONG_AND_LOUD_2026: 1",
            "sep: " + "-".repeat(60));
    assertEquals(List.of(), SecretScan.scan("metadata.json", text));
  }

  @Test
  void hexRunsOfNonDigestLengthsAreJudgedAsHex() {
    String hex48 = Sha256.hex("a").substring(0, 48);
    assertEquals(SecretKind.HIGH_ENTROPY, only(SecretScan.scan("s", "key: " + hex48)).kind());
  }

  @Test
  void thresholdFollowsTheExpectedEntropyOfRandomText() {
    // 6 bits/char for base64 less the small-sample shortfall and the margin: 4.13 at 32 chars, 4.84 at 64.
    assertEquals(4.13, SecretScan.threshold(64, 32), 0.01);
    assertEquals(4.84, SecretScan.threshold(64, 64), 0.01);
    assertEquals(0.0, SecretScan.entropy("aaaa"), 1e-9);
    assertEquals(2.0, SecretScan.entropy("abcd"), 1e-9);
  }

  @Test
  void everyFindingIsReportedOnceUnderItsMostSpecificKind() {
    String text = "aws_access_key_id: " + AWS_ID + "\naws_secret_access_key: " + AWS_SECRET + "\ntoken: " + GITHUB + "\n";
    List<SecretFinding> findings = SecretScan.scan("config.yaml", text);
    assertEquals(
        List.of(SecretKind.AWS_ACCESS_KEY_ID, SecretKind.AWS_SECRET_ACCESS_KEY, SecretKind.GITHUB_TOKEN),
        findings.stream().map(SecretFinding::kind).toList());
    assertEquals(List.of(1, 2, 3), findings.stream().map(SecretFinding::line).toList());
    GateFailedException e = assertThrows(GateFailedException.class, () -> SecretScan.requireNone(findings));
    assertTrue(e.getMessage().startsWith("secret scan: 3 possible secrets: config.yaml line 1: AWS access key id"), e.getMessage());
    assertTrue(e.getMessage().endsWith("; remove them from the release inputs"), e.getMessage());
    for (String secret : List.of(AWS_ID_TAIL, AWS_SECRET, GITHUB_TAIL)) {
      assertFalse(e.getMessage().contains(secret), e.getMessage());
    }
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void safetensorsMetadataIsScannedPerEntry() {
    String digest = Sha256.hex("data");
    Map<String, String> metadata =
        Map.of("dataset_sha256", digest, "seed", "42", "format", "pt", "hf_token", GITHUB, "upload_key", AWS_ID);
    List<SecretFinding> findings = SecretScan.scanMetadata("model.safetensors", metadata);
    assertEquals(
        List.of(
            "model.safetensors __metadata__.hf_token line 1: GitHub token ghp_... (40 chars)",
            "model.safetensors __metadata__.upload_key line 1: AWS access key id AKIA... (20 chars)"),
        findings.stream().map(SecretFinding::describe).toList());
    assertEquals(List.of(), SecretScan.scanMetadata("model.safetensors", Map.of("dataset_sha256", digest, "seed", "42")));
  }

  @Test
  void aTokenizerTrainedOnRustIsClean() throws Exception {
    List<String> corpus = RustCorpus.generate(7).stream().map(RustCorpus.Function::source).toList();
    Path tokenizer = tmp.resolve("tokenizer.json");
    HfTokenizerJson.write(BpeTrainer.train(corpus, 1024), tokenizer);
    assertTrue(Files.size(tokenizer) > 10_000, "a real vocabulary was written");
    assertEquals(List.of(), SecretScan.scanFile(tokenizer));
    assertDoesNotThrow(() -> SecretScan.requireNone(SecretScan.scanFile(tokenizer)));
  }

  @Test
  void theUpstreamArtifactsAreCleanWhenPresent() {
    Path dir = io.m31r.release.testing.UpstreamModelDir.path();
    Assumptions.assumeTrue(Files.isDirectory(dir), "upstream model not on this machine");
    assertEquals(List.of(), SecretScan.scanFile(dir.resolve("tokenizer.json")));
    assertEquals(List.of(), SecretScan.scanFile(dir.resolve("config.yaml")));
    assertEquals(
        List.of(),
        SecretScan.scanMetadata(
            "model.safetensors",
            io.m31r.release.model.safetensors.SafetensorsFile.open(dir.resolve("model.safetensors")).metadata()));
  }

  @Test
  void aFileWithASecretIsFoundByPathAndLine() throws Exception {
    Path readme = tmp.resolve("README.txt");
    Files.writeString(readme, "M31R release\n\nDownload with token " + GITHUB + "\n", StandardCharsets.UTF_8);
    SecretFinding f = only(SecretScan.scanFile(readme));
    assertEquals(readme.toString(), f.source());
    assertEquals(3, f.line());
  }
}
