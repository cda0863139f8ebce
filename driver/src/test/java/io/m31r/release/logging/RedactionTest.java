package io.m31r.release.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {
  private static final Redaction R = Redaction.standard();
  private static final Instant T = Instant.parse("2026-03-04T05:06:07.089Z");

  private static Event event(String message, Map<String, ?> context) {
    return R.event(T, Level.INFO, "bench", message, context);
  }

  @Test
  void sensitiveKeysAreMaskedIgnoringCaseAtAnyDepth() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("userPrompt", "fn add(a: i32, b: i32) -> i32 {");
    nested.put("shards", 12);
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("PROMPT", "p1");
    context.put("Completion", "c1");
    context.put("source_code", "fn main() {}");
    context.put("fs.s3a.Secret.Key", "wJalrXUtnFEMI/K7MDENG");
    context.put("dbPassword", 123456);
    context.put("x-authorization", "Bearer abc");
    context.put("aws_credentials", Map.of("id", "x", "value", "y"));
    context.put("request", nested);
    context.put("batches", List.of(Map.of("completion_text", "let x = 1;", "ms", 7)));
    context.put("dataset", "hdfs://nn/datasets/rust-v3");

    Map<String, Object> out = event("hashed", context).context();

    for (String key : List.of("PROMPT", "Completion", "source_code", "fs.s3a.Secret.Key", "dbPassword",
        "x-authorization", "aws_credentials")) {
      assertEquals(Redaction.MASK, out.get(key), key);
    }
    assertEquals(Map.of("userPrompt", Redaction.MASK, "shards", 12), out.get("request"));
    assertEquals(List.of(Map.of("completion_text", Redaction.MASK, "ms", 7)), out.get("batches"));
    assertEquals("hdfs://nn/datasets/rust-v3", out.get("dataset"));
  }

  @Test
  void everyListedKeyPartIsSensitiveAndOrdinaryKeysAreNot() {
    for (String part : Redaction.SENSITIVE_KEY_PARTS) {
      assertTrue(R.isSensitiveKey("my_" + part.toUpperCase() + "_x"), part);
    }
    for (String key : List.of("stage", "bytes", "shards", "version", "exit_code", "uri", "elapsed_ms")) {
      assertFalse(R.isSensitiveKey(key), key);
    }
  }

  @Test
  void aPromptPassedUnderASensitiveKeyNeverAppearsAnywhereInTheOutput() {
    String prompt = "fn secret_algorithm(input: &[u8]) -> u64 {";
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("prompt", prompt);
    context.put("note", "retrying " + prompt + " on another executor");
    context.put("items", List.of("before " + prompt, Map.of("detail", prompt + " again")));
    Event e = R.event(T, Level.ERROR, "bench", "sample failed for " + prompt, context);

    String json = new JsonEventFormat().line(e);
    String text = new TextEventFormat().line(e);
    for (String rendered : List.of(json, text)) {
      assertFalse(rendered.contains(prompt), rendered);
      assertFalse(rendered.contains("secret_algorithm"), rendered);
      assertTrue(rendered.contains(Redaction.MASK), rendered);
    }
    assertEquals("sample failed for " + Redaction.MASK, e.message());
  }

  @Test
  void awsKeyIdsAreMaskedInMessagesAndValues() {
    Event e = event("using AKIAIOSFODNN7EXAMPLE for the upload",
        Map.of("who", "role ASIAY34FZKBOKMUTVV7A assumed"));
    assertEquals("using [redacted] for the upload", e.message());
    assertEquals("role [redacted] assumed", e.context().get("who"));
    // Not a key id: wrong prefix or wrong length.
    assertEquals("AKIA12345 and XKIAIOSFODNN7EXAMPLE", R.maskText("AKIA12345 and XKIAIOSFODNN7EXAMPLE"));
  }

  @Test
  void privateKeysAreMaskedWholeEvenWhenCut() {
    String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabcdef\n-----END RSA PRIVATE KEY-----";
    assertEquals("key: [redacted] done", R.maskText("key: " + pem + " done"));
    String cut = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA";
    assertEquals("loaded [redacted]", R.maskText("loaded " + cut));
    assertFalse(R.maskText("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----").contains("MIIE"));
  }

  @Test
  void gitHubAndSlackTokensAreMasked() {
    String ghp = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
    String pat = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz";
    String slack = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
    String hook = "https://hooks.slack.com/services/T000/B000/XXXXXXXX";
    String masked = R.maskText("push " + ghp + " / " + pat + " notify " + slack + " at " + hook);
    assertEquals("push [redacted] / [redacted] notify [redacted] at [redacted]", masked);
  }

  @Test
  void uriUserInfoIsMaskedButTheRestOfTheUriStays() {
    assertEquals("reading s3a://[redacted]@bucket/data/shard_1.bin",
        R.maskText("reading s3a://AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCY@bucket/data/shard_1.bin"));
    assertEquals("https://[redacted]@git.example/m31r.git", R.maskText("https://user:pa55@git.example/m31r.git"));
    // No user-info: nothing to mask, including an '@' further along the path.
    assertEquals("s3a://bucket/dir/file@v2 hdfs://nn:8020/x", R.maskText("s3a://bucket/dir/file@v2 hdfs://nn:8020/x"));
    Event e = event("wrote", Map.of("out", "s3a://id:secret@bucket/release/1.2.0"));
    assertEquals("s3a://[redacted]@bucket/release/1.2.0", e.context().get("out"));
  }

  @Test
  void namedAssignmentsAndAuthorisationHeadersAreMasked() {
    assertEquals("set fs.s3a.secret.key=[redacted] and region=eu-west-1",
        R.maskText("set fs.s3a.secret.key=wJalrXUtnFEMI and region=eu-west-1"));
    assertEquals("password: [redacted], user: bob", R.maskText("password: \"hunter 2\", user: bob"));
    assertEquals("auth_token=[redacted]&page=2", R.maskText("auth_token=abc123&page=2"));
    assertEquals("Authorization: Bearer [redacted]", R.maskText("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"));
    // Counts that merely mention tokens stay readable.
    assertEquals("generated tokens: 1024, max_new_tokens=128", R.maskText("generated tokens: 1024, max_new_tokens=128"));
  }

  @Test
  void otherObjectsAreLoggedByTheirStringFormAndCharArraysNever() {
    record Conf(String endpoint) {}
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("conf", new Conf("https://s3.internal"));
    context.put("chars", "hunter2".toCharArray());
    context.put("ints", new int[] {1, 2});
    context.put("ratio", Double.NaN);
    context.put("missing", null);
    Map<String, Object> out = event("m", context).context();
    assertEquals("Conf[endpoint=https://s3.internal]", out.get("conf"));
    assertEquals("[char[7]]", out.get("chars"));
    assertEquals(List.of(1, 2), out.get("ints"));
    assertEquals("NaN", out.get("ratio"));
    assertTrue(out.containsKey("missing"));
  }

  @Test
  void shortSensitiveValuesAreMaskedInPlaceButNotEchoedIntoOrdinaryText() {
    Event e = event("sent 1 file", Map.of("key", "1", "files", "1"));
    assertEquals("sent 1 file", e.message());
    assertEquals(Redaction.MASK, e.context().get("key"));
    assertEquals("1", e.context().get("files"));
  }
}
