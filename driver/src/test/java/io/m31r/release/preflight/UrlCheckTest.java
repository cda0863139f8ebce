package io.m31r.release.preflight;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.GateFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class UrlCheckTest {
  @Test
  void localAndClusterInputsPass() {
    assertDoesNotThrow(
        () -> UrlCheck.requireNoRemoteInputs(
            Map.of(
                "checkpoint", "/data/ckpt/model.safetensors",
                "tokenizer", "file:/data/tokenizer.json",
                "dataset", "hdfs://nn:8020/datasets/v1",
                "suite", "s3a://bucket/suite",
                "test_reports", "reports/")));
  }

  @Test
  void anHttpInputIsRefusedNamingTheFieldButNotThePath() {
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> UrlCheck.requireNoRemoteInputs(
                Map.of(
                    "tokenizer", "/data/tokenizer.json",
                    "checkpoint", "HTTPS://user:pw@models.example.com/m31r/model.safetensors?sig=abc")));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertEquals(
        "release config checkpoint: https://models.example.com/... is an http(s) URL; release inputs must be local or"
            + " cluster storage (file:, hdfs:, s3a:), no remote calls",
        e.getMessage());
    assertFalse(e.getMessage().contains("pw"), e.getMessage());
    assertFalse(e.getMessage().contains("sig="), e.getMessage());
  }

  @Test
  void fieldsAreCheckedInNameOrder() {
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> UrlCheck.requireNoRemoteInputs(Map.of("suite", "http://a/x", "dataset", "http://b/y")));
    assertTrue(e.getMessage().startsWith("release config dataset: http://b/..."), e.getMessage());
  }

  @Test
  void aConfigWithoutUrlsPasses() {
    assertDoesNotThrow(
        () -> UrlCheck.requireNoUrlsInConfig("config.yaml", "runtime:\n  host: \"127.0.0.1\"\n  model_path: release/x\n"));
  }

  @Test
  void urlsInTheConfigFailTheGateNamingTheLines() {
    String text = "global:\n  seed: 42\n  data: https://datasets.example.org/rust?token=x\n# docs: http://wiki.example.org\n";
    GateFailedException e =
        assertThrows(GateFailedException.class, () -> UrlCheck.requireNoUrlsInConfig("config.yaml", text));
    assertEquals(ExitCode.GATE_BLOCKED, e.exitCode());
    assertEquals(
        "config.yaml lines 3, 4: http(s) URL https://datasets.example.org/... and others; a release config must not"
            + " reference remote resources (no remote calls)",
        e.getMessage());
    GateFailedException one =
        assertThrows(
            GateFailedException.class, () -> UrlCheck.requireNoUrlsInConfig("config.yaml", "a: 1\r\nb: http://h:80/p\r\n"));
    assertEquals(
        "config.yaml line 2: http(s) URL http://h/...; a release config must not reference remote resources (no remote calls)",
        one.getMessage());
  }

  @Test
  void theUpstreamConfigPassesWhenPresent() throws Exception {
    Path upstream = io.m31r.release.testing.UpstreamModelDir.path().resolve("config.yaml");
    Assumptions.assumeTrue(Files.isRegularFile(upstream), "upstream config not on this machine");
    assertDoesNotThrow(() -> UrlCheck.requireNoUrlsInConfig("config.yaml", Files.readString(upstream)));
  }
}
