package io.m31r.release.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.Datasets;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code m31r bench --model} end to end with the real upstream checkpoint (run when the machine
 * has it): generation on Spark executors through the model runtime, then the sandbox. The
 * checkpoint memorised {@code add} at the start of its training text, so greedy decoding solves
 * the add task and, starting a fresh prompt at sub, writes add's body again: pass@1 is exactly 0.5.
 */
class BenchModelTest {
  static final Path UPSTREAM = io.m31r.release.testing.UpstreamModelDir.path();

  @TempDir Path tmp;
  Path suite;

  @BeforeEach
  void suite() throws Exception {
    Assumptions.assumeTrue(Files.isRegularFile(UPSTREAM.resolve("model.safetensors")), "upstream checkpoint at " + UPSTREAM);
    suite = Files.writeString(tmp.resolve("mini.jsonl"),
        task("add", "fn add(a: i32, b: i32) -> i32 {", "assert_eq!(add(2, 3), 5);")
            + task("sub", "fn sub(a: i32, b: i32) -> i32 {", "assert_eq!(sub(2, 3), -1);"));
  }

  private static String task(String name, String prompt, String check) {
    return "{\"name\": \"" + name + "\", \"prompt\": \"" + prompt + "\", \"tests\": \"\\nfn main() {\\n    "
        + check + "\\n}\\n\", \"stop_tokens\": [\"}\"]}\n";
  }

  private Cli.Run bench(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("bench", "--suite", suite.toString(),
        "--max-new-tokens", "16", "--min-compile-rate", "0", "--min-pass-at", "1=0"));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  private static Map<String, String> statuses(Path samples) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (String line : Files.readAllLines(samples)) {
      JsonNode n = CanonicalJson.mapper().readTree(line);
      out.put(n.get("task").asText() + "#" + n.get("sample").asInt(), n.get("status").asText());
    }
    return out;
  }

  @Test
  void generatesOnExecutorsAndJudgesWhatTheModelWrote() throws Exception {
    Path out = tmp.resolve("out");
    Cli.Run r = bench("--model", UPSTREAM.toString(), "--unverified", "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    JsonNode report = CanonicalJson.mapper().readTree(out.resolve("report.json").toFile());
    assertEquals(0.5, report.at("/metrics/pass_at_k/1").asDouble(), 1e-12);
    assertEquals("model", report.at("/source/kind").asText());
    assertEquals(Datasets.sha256sum(UPSTREAM.resolve("model.safetensors")), report.at("/source/model_sha256").asText());
    assertTrue(report.at("/source/generation/ms_per_token/p50").asDouble() > 0);
    assertTrue(report.at("/metrics/peak_memory_bytes").asLong() > 0);
    assertEquals(Map.of("add#0", "passed", "sub#0", "test_failed"), statuses(out.resolve("samples.jsonl")));
  }

  @Test
  void generateOnlyThenFromSamplesGivesTheSameVerdicts() throws Exception {
    Path gen = tmp.resolve("gen");
    Cli.Run g = bench("--model", UPSTREAM.toString(), "--unverified", "--generate-only", "--samples", "2",
        "--temperature", "0.7", "--seed", "7", "--out", gen.toString());
    assertEquals(0, g.exitCode(), g.err());
    assertFalse(Files.exists(gen.resolve("report.json")), "generate-only judges nothing");
    Path judged = tmp.resolve("judged");
    Cli.Run j = bench("--from-samples", gen.resolve("samples.jsonl").toString(), "--samples", "2", "--k", "1,2",
        "--out", judged.toString());
    assertEquals(0, j.exitCode(), j.err());
    Path again = tmp.resolve("again");
    Cli.Run a = bench("--model", UPSTREAM.toString(), "--unverified", "--samples", "2", "--k", "1,2",
        "--temperature", "0.7", "--seed", "7", "--out", again.toString());
    assertEquals(0, a.exitCode(), a.err());
    assertEquals(statuses(judged.resolve("samples.jsonl")), statuses(again.resolve("samples.jsonl")),
        "same seed, same samples, same verdicts");
  }

  @Test
  void aTamperedBundleIsRefusedBeforeAnyGeneration() throws Exception {
    Path bundle = Files.createDirectories(tmp.resolve("bundle"));
    StringBuilder sums = new StringBuilder();
    for (String f : List.of("config.yaml", "model.safetensors", "tokenizer.json")) {
      Files.copy(UPSTREAM.resolve(f), bundle.resolve(f));
      sums.append(Datasets.sha256sum(bundle.resolve(f))).append("  ").append(f).append('\n');
    }
    Files.writeString(bundle.resolve("checksum.txt"), sums);
    try (RandomAccessFile f = new RandomAccessFile(bundle.resolve("model.safetensors").toFile(), "rw")) {
      f.seek(f.length() - 1);
      int b = f.read();
      f.seek(f.length() - 1);
      f.write(b ^ 1);
    }
    Path out = tmp.resolve("tampered");
    Cli.Run r = bench("--model", bundle.toString(), "--out", out.toString());
    assertEquals(4, r.exitCode(), r.err());
    assertTrue(r.err().contains("model.safetensors"), r.err());
    assertFalse(Files.exists(out));
  }
}
