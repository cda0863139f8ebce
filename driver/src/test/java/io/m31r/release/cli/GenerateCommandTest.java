package io.m31r.release.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.json.CanonicalJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {
  @TempDir Path dir;

  /** The upstream checkpoint, when this machine has it (same default as the job module's tests). */
  private static Path upstream() {
    Path p = io.m31r.release.testing.UpstreamModelDir.path();
    assumeTrue(Files.isRegularFile(p.resolve("model.safetensors")), "upstream model not on this machine");
    return p;
  }

  private static String run(String... args) {
    GenerateCommand command = new GenerateCommand();
    CommandLine cli = new CommandLine(command);
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));
    cli.parseArgs(args);
    assertEquals(0, command.call());
    return out.toString();
  }

  @Test
  void jsonReportHoldsTheGreedyCompletionAndTheModelDigest() throws IOException {
    Path model = upstream();
    String json =
        run("--model", model.toString(), "--unverified", "--prompt", "fn add(a: i32, b: i32) -> i32 {",
            "--max-tokens", "4", "--json", "--threads", "1");
    JsonNode report = CanonicalJson.mapper().readTree(json);
    assertEquals(" a + b }", report.get("completions").get(0).asText());
    assertEquals(4, report.get("generated_tokens").asInt());
    assertEquals(17, report.get("prompt_tokens").asInt());
    assertEquals(Sha256.hex(Files.readAllBytes(model.resolve("model.safetensors"))), report.get("model_sha256").asText());
    assertTrue(report.get("peak_rss_bytes").asLong() > 0);
    assertEquals(false, report.get("verified").asBoolean());
    // Canonical form: what was printed is exactly the canonical rendering of its own tree.
    assertEquals(CanonicalJson.string(report), json);
  }

  /** The whole command line as a user runs it: exit code and stderr. */
  private static String[] cli(String... args) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = M31rCli.execute(args, new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
    return new String[] {String.valueOf(code), err.toString(java.nio.charset.StandardCharsets.UTF_8)};
  }

  @Test
  void brokenTokenizerAndLinkedWeightsAreBadInputInOneLine() throws IOException {
    Path model = upstream();
    Path copy = Files.createDirectories(dir.resolve("broken"));
    for (String name : new String[] {"model.safetensors", "tokenizer.json", "config.yaml"}) {
      Files.copy(model.resolve(name), copy.resolve(name));
    }
    var json = CanonicalJson.mapper();
    var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(copy.resolve("tokenizer.json").toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("model")).putObject("vocab");
    ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("model")).putArray("merges");
    root.putArray("added_tokens");
    Files.write(copy.resolve("tokenizer.json"), json.writeValueAsBytes(root));
    String[] r = cli("generate", "--model", copy.toString(), "--unverified", "--prompt", "fn", "--threads", "1");
    assertEquals("2", r[0], r[1]);
    // After the --unverified warning, one line naming the file: no "internal error", no stack trace.
    assertTrue(r[1].endsWith("\nm31r: tokenizer.json has an empty vocabulary\n"), r[1]);
    assertTrue(!r[1].contains("internal error") && !r[1].contains("\tat "), r[1]);

    Files.copy(model.resolve("tokenizer.json"), copy.resolve("tokenizer.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.delete(copy.resolve("model.safetensors"));
    Files.createSymbolicLink(copy.resolve("model.safetensors"), model.resolve("model.safetensors").toAbsolutePath());
    r = cli("generate", "--model", copy.toString(), "--unverified", "--prompt", "fn", "--threads", "1");
    assertEquals("2", r[0], r[1]);
    assertTrue(r[1].contains("model.safetensors is a symbolic link") && !r[1].contains("\tat "), r[1]);
  }

  @Test
  void bundleFailuresPropagateWithTheirExitCodes() throws IOException {
    Path model = upstream();
    BadInputException refused =
        assertThrows(BadInputException.class, () -> run("--model", model.toString(), "--prompt", "fn"));
    assertEquals(ExitCode.BAD_INPUT, refused.exitCode());
    Path copy = dir.resolve("bundle");
    Files.createDirectories(copy);
    for (String name : new String[] {"model.safetensors", "tokenizer.json", "config.yaml"}) {
      Files.copy(model.resolve(name), copy.resolve(name));
    }
    Files.writeString(copy.resolve("checksum.txt"),
        Sha256.hex("not the config") + "  config.yaml\n"
            + Sha256.hex(Files.readAllBytes(copy.resolve("model.safetensors"))) + "  model.safetensors\n"
            + Sha256.hex(Files.readAllBytes(copy.resolve("tokenizer.json"))) + "  tokenizer.json\n");
    IntegrityException tampered =
        assertThrows(IntegrityException.class, () -> run("--model", copy.toString(), "--prompt", "fn"));
    assertEquals(4, tampered.exitCode().code());
    assertTrue(tampered.getMessage().contains("config.yaml"));
  }

  @Test
  void fp16OnCpuIsRefused() {
    assertThrows(BadInputException.class,
        () -> run("--model", dir.toString(), "--prompt", "fn", "--precision", "fp16"));
  }
}
