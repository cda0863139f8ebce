package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.GitCli;
import io.m31r.release.testing.SampleWorkspaces;
import io.m31r.release.testing.UpstreamShared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained elsewhere, released the way docs/your-model.md says: the real upstream run
 * imported, the upstream benchmark suite (8 categories) beside it, {@code m31r init}, then an
 * export as type D (no rebuild: the upstream trainer is not this project's), then as type A with a
 * signed record of a rebuild done elsewhere. The tests gate runs the configured command on the
 * released commit; per-category results reach metadata and report.
 */
class UpstreamExportEndToEndTest {
  @TempDir Path tmp;

  @Test
  void importedUpstreamRunAndSuiteExportAsTypeDThenAsTypeAWithAnAttestedRebuild() throws Exception {
    Path run = UpstreamShared.run().orElse(null);
    Path suite = UpstreamShared.benchmarks().orElse(null);
    assumeTrue(run != null && suite != null, "upstream run or benchmarks not on this machine");
    Path ws = tmp.resolve("ws");
    assertEquals(0, Cli.runWithoutSpark("import-upstream", run.toString(), "--out", ws.toString()).exitCode());
    SampleWorkspaces.copyTree(suite, ws.resolve("benchmarks"));
    try (Stream<Path> copied = Files.walk(ws.resolve("benchmarks"))) {
      copied.forEach(p -> p.toFile().setWritable(true));
    }
    Files.createDirectories(ws.resolve("dataset"));
    // The run's own data set is not part of the upstream copy; a shard of its kind stands in for it.
    Files.writeString(ws.resolve("dataset/shard_0000.json"), "{\"tokens\": [4, 5, 6, 7, 3]}\n");
    Files.writeString(ws.resolve("README.md"), "# Upstream overfit model\n");
    GitCli.run(ws, "init", "-q");
    SampleWorkspaces.commitAll(ws, "feat: the upstream overfit run, step 500");

    Cli.Run init = Cli.runWithoutSpark("init", ws.toString());
    assertEquals(0, init.exitCode(), init.err());
    Path config = ws.resolve("release.yaml");
    // The overfit sanity model memorised ten one-liners; it is not a code model, so the quality
    // targets are set to zero, and the token budget to the four tokens of its " a + b }".
    String yaml = Files.readString(config)
        .replaceAll("(min_compile_rate|min_pass_at_1|min_pass_at_5|min_pass_at_10): [0-9.]+", "$1: 0.0")
        .replace("max_ms_per_token: 50.0", "max_ms_per_token: 100000.0")
        .replace("max_new_tokens: 128", "max_new_tokens: 4")
        .replaceAll("smoke_prompt: .*", "smoke_prompt: \"fn add(a: i32, b: i32) -> i32 {\"");
    Files.writeString(config, yaml);
    SampleWorkspaces.commitAll(ws, "build(release): release configuration from m31r init");

    Cli.Run export = Cli.run("--config", config.toString(), "export", "--version", "0.1.0", "--type", "D", "--quiet");
    assertEquals(0, export.exitCode(), export.err());
    Path released = tmp.resolve("release/experiments/0.1.0");
    Cli.Run verify = Cli.run("verify", "0.1.0", "--root", tmp.resolve("release").toString());
    assertEquals(0, verify.exitCode(), verify.err());
    JsonNode meta = CanonicalJson.mapper().readTree(released.resolve("metadata.json").toFile());
    JsonNode summary = meta.path("metrics_summary");
    List<String> categories = List.of("bugs", "completion", "fim", "functions", "ownership", "projects", "refactor", "stdlib");
    for (String c : categories) {
      assertTrue(summary.path("quality").path("by_category").has(c), "metadata lacks category " + c + ": " + summary);
    }
    assertEquals(8, summary.path("tasks").asInt());
    JsonNode overContext = summary.path("prompts_over_context");
    assertTrue(overContext.path("tasks").isInt(), summary.toString());
    assertEquals(overContext.path("tasks").asInt(), overContext.path("task_ids").size());
    assertEquals(7, meta.path("tests").path("tests").asInt() + meta.path("tests").path("skipped").asInt() - 1,
        "the suite self-check ran its 8 tasks: " + meta.path("tests"));
    try (Stream<Path> reports = Files.list(tmp.resolve("release-reports"))) {
      String html = Files.readString(reports.filter(p -> p.toString().endsWith(".html")).findFirst().orElseThrow());
      for (String c : categories) {
        assertTrue(html.contains(">" + c + "<"), "report lacks category " + c);
      }
      assertTrue(html.contains("prompts over the model&#39;s context") || html.contains("prompts over the model's context"), "report lacks the count");
    }

    // Type A: the rebuild was done where the model was trained and handed in as a signed record
    // (docs/your-model.md section 5). The imported checkpoint stands in for that rebuild's output.
    Path keys = tmp.resolve("rebuild-key");
    assertEquals(0, Cli.runWithoutSpark("keygen", "--out", keys.toString()).exitCode());
    StringBuilder trusted = new StringBuilder("keys:\n  - name: upstream-cluster\n    public_key: |\n");
    Files.readString(keys.resolve("signing-key.pub")).lines().forEach(l -> trusted.append("      ").append(l).append('\n'));
    Files.writeString(tmp.resolve("trusted-rebuild-keys.yaml"), trusted.toString());
    Cli.Run attest = Cli.run("attest-rebuild", "--model", ws.resolve("checkpoint/model.safetensors").toString(),
        "--training-config", ws.resolve("config.yaml").toString(), "--dataset", ws.resolve("dataset").toString(),
        "--tokenizer", ws.resolve("tokenizer.json").toString(), "--command", "python -m m31r.train --config configs/train_overfit.yaml",
        "--key", keys.resolve("signing-key.pem").toString(), "--out", tmp.resolve("rebuild-record.json").toString(), "--quiet");
    assertEquals(0, attest.exitCode(), attest.err());
    assertTrue(attest.out().contains("seed: 42"), attest.out());
    // The two commented lines init wrote, switched on.
    Files.writeString(config, Files.readString(config)
        .replace("  # rebuild_attestation: ", "  rebuild_attestation: ")
        .replace("  # rebuild_trusted_keys: ", "  rebuild_trusted_keys: "));
    SampleWorkspaces.commitAll(ws, "build(release): rebuild attested by the upstream cluster");
    Cli.Run typeA = Cli.run("--config", config.toString(), "export", "--version", "1.0.0", "--type", "A", "--quiet");
    assertEquals(0, typeA.exitCode(), typeA.err());
    Cli.Run verifyA = Cli.run("verify", "1.0.0", "--root", tmp.resolve("release").toString());
    assertEquals(0, verifyA.exitCode(), verifyA.err());
    JsonNode rebuild = CanonicalJson.mapper().readTree(tmp.resolve("release/1.0.0/metadata.json").toFile()).path("rebuild");
    assertEquals("attested", rebuild.path("kind").asText(), rebuild.toString());
    assertTrue(rebuild.path("checked").asBoolean(), rebuild.toString());
    assertEquals(io.m31r.release.hashing.Sha256.hex(Files.readAllBytes(tmp.resolve("rebuild-record.json"))),
        rebuild.path("record_sha256").asText());
    assertEquals("1.0.0\n", Files.readString(tmp.resolve("release/CURRENT")));
  }
}
