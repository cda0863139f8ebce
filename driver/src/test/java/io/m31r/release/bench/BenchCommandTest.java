package io.m31r.release.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench command through the real CLI, local Spark, real rustc, on the upstream suite. */
class BenchCommandTest {
  static final Path SUITE = Path.of("src/test/resources/upstream-benchmarks");
  @TempDir static Path tmp;
  static Path oracleReport;
  static Cli.Run oracle;

  @BeforeAll
  static void oracleRun() {
    oracle = Cli.run("bench", "--suite", SUITE.toString(), "--oracle", "--out", tmp.resolve("oracle").toString());
    oracleReport = tmp.resolve("oracle/report.json");
  }

  static JsonNode json(Path p) throws IOException {
    return CanonicalJson.mapper().readTree(Files.readAllBytes(p));
  }

  static List<JsonNode> lines(Path p) throws IOException {
    return Files.readAllLines(p).stream().map(l -> {
      try {
        return CanonicalJson.mapper().readTree(l);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  @Test
  void upstreamOracleScoresOneHundredPercent() throws IOException {
    assertEquals(0, oracle.exitCode(), oracle.err() + oracle.out());
    JsonNode r = json(oracleReport);
    assertEquals(8, r.at("/suite/tasks").asInt());
    assertEquals("420cc52a511f70f53c21d55ab9647abc9f2b1dd7520c0e16a4e87a560494bd3e", r.at("/suite/digest").asText());
    assertEquals("oracle", r.at("/source/kind").asText());
    assertEquals(1.0, r.at("/metrics/pass_at_k/1").asDouble());
    assertEquals(1.0, r.at("/metrics/compile_rate").asDouble());
    assertEquals(8, r.at("/metrics/status_counts/passed").asInt());
    assertEquals(8, r.at("/metrics/by_category").size());
    assertEquals("passed", r.at("/result").asText());
    List<JsonNode> samples = lines(tmp.resolve("oracle/samples.jsonl"));
    assertEquals(8, samples.size());
    samples.forEach(s -> assertEquals("passed", s.get("status").asText(), s.toString()));
    assertTrue(samples.stream().allMatch(s -> s.get("tests_passed").asInt() >= 2));
    assertTrue(oracle.out().contains("pass@1: 1.0000"), oracle.out());
  }

  static final Map<String, String[]> COMPLETIONS = new LinkedHashMap<>();

  static {
    COMPLETIONS.put("completion/task_001", new String[] {"    a + b\n}\n", "    a + \n}\n"});
    COMPLETIONS.put("fim/task_001", new String[] {"    s.chars().rev().collect()", "    s.to_string()"});
    COMPLETIONS.put("functions/task_001", new String[] {"    if n <= 1 { 1 } else { n * factorial(n - 1) }\n}\n", "    loop {}\n}\n"});
    String greet = "    name.push_str(\" world\");\n    name\n}\n";
    COMPLETIONS.put("ownership/task_001", new String[] {greet, greet});
    COMPLETIONS.put("stdlib/task_001", new String[] {"    numbers.sort();\n    numbers\n}\n",
        "    let mut h: Vec<Vec<u8>> = Vec::new();\n    loop { h.push(vec![1u8; 64 << 20]); }\n}\n"});
    COMPLETIONS.put("bugs/task_001", new String[] {
        "fn find_max(values: &[i32]) -> Option<i32> {\n    values.iter().copied().max()\n}\n\nfn main() {}\n",
        "fn find_max(values: &[i32]) -> Option<i32> {\n    values.first().copied()\n}\n\nfn main() {}\n"});
    COMPLETIONS.put("refactor/task_001", new String[] {
        "fn sum_even(numbers: &[i32]) -> i32 {\n    numbers.iter().filter(|&&x| x % 2 == 0).sum()\n}\n\nfn main() {}\n",
        "fn sum_even(numbers: &[i32]) -> i32 {\n    numbers.iter().sum()\n}\n\nfn main() {}\n"});
    COMPLETIONS.put("projects/task_001", new String[] {
        "struct Counter { n: i32 }\nimpl Counter {\n    fn new() -> Self { Counter { n: 0 } }\n    fn increment(&mut self) { self.n += 1; }\n"
            + "    fn value(&self) -> i32 { self.n }\n}\nfn main() {}\n```\nThis adds a field.",
        "struct Counter;\nfn main() {}\n"});
  }

  static final Map<String, String[]> EXPECTED = Map.of(
      "completion/task_001", new String[] {"passed", "compile_error"},
      "fim/task_001", new String[] {"passed", "test_failed"},
      "functions/task_001", new String[] {"passed", "timeout"},
      "ownership/task_001", new String[] {"passed", "passed"},
      "stdlib/task_001", new String[] {"passed", "crashed"},
      "bugs/task_001", new String[] {"passed", "test_failed"},
      "refactor/task_001", new String[] {"passed", "test_failed"},
      "projects/task_001", new String[] {"passed", "compile_error"});

  static Path samplesFile() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (var e : COMPLETIONS.entrySet()) {
      for (int i = 0; i < e.getValue().length; i++) {
        Map<String, Object> line = new TreeMap<>(Map.of("task", e.getKey(), "sample", i, "completion", e.getValue()[i]));
        sb.append(CanonicalJson.mapper().writeValueAsString(line)).append('\n');
      }
    }
    return Files.writeString(tmp.resolve("samples-in.jsonl"), sb.toString());
  }

  @Test
  void craftedSamplesGetExpectedStatusesAndARegressionBlocks() throws IOException {
    Path out = tmp.resolve("crafted");
    Cli.Run r = Cli.run("bench", "--suite", SUITE.toString(), "--from-samples", samplesFile().toString(), "--samples", "2",
        "--run-timeout", "2", "--baseline", oracleReport.toString(), "--out", out.toString());
    assertEquals(3, r.exitCode(), r.err() + r.out());
    assertTrue(r.err().contains("pass@1 regression: baseline 1.0000, candidate 0.5625 (relative drop 43.75%, limit 5%)"), r.err());
    assertTrue(r.err().contains("compile_rate regression: baseline 1.0000, candidate 0.8750"), r.err());
    for (JsonNode s : lines(out.resolve("samples.jsonl"))) {
      String want = EXPECTED.get(s.get("task").asText())[s.get("sample").asInt()];
      assertEquals(want, s.get("status").asText(), s.toString());
    }
    JsonNode report = json(out.resolve("report.json"));
    assertEquals("blocked", report.at("/result").asText());
    assertEquals(15, report.at("/settings/distinct_programs").asInt(), "identical completions are judged once");
    assertEquals(9, report.at("/metrics/status_counts/passed").asInt());
    assertEquals("samples", report.at("/source/kind").asText());
    assertEquals(0.5, report.at("/metrics/by_difficulty/hard/pass_at_k/1").asDouble());
    assertTrue(report.at("/metrics/pass_at_k/5").isMissingNode(), "k is never lowered: only k <= n reported");
  }

  @Test
  void baselineOnAnotherSuiteIsRefusedBeforeAnyWork() throws IOException {
    ObjectNode b = (ObjectNode) json(oracleReport);
    ((ObjectNode) b.get("suite")).put("digest", "0".repeat(64));
    Path other = Files.write(tmp.resolve("other-baseline.json"), CanonicalJson.bytes(b));
    long t0 = System.nanoTime();
    Cli.Run r = Cli.run("bench", "--suite", SUITE.toString(), "--oracle", "--baseline", other.toString(), "--out", tmp.resolve("x").toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("refusing to compare different suites"), r.err());
    assertFalse(Files.exists(tmp.resolve("x/report.json")));
    assertTrue((System.nanoTime() - t0) / 1e9 < 30);
  }

  @Test
  void kAboveSamplesModelAndBadSamplesAreExitTwo() throws IOException {
    Cli.Run k = Cli.run("bench", "--suite", SUITE.toString(), "--oracle", "--k", "1,5", "--out", tmp.resolve("k").toString());
    assertEquals(2, k.exitCode());
    assertTrue(k.err().contains("pass@5 needs at least 5 samples per task, this run has 1"), k.err());

    Cli.Run m = Cli.run("bench", "--suite", SUITE.toString(), "--model", tmp.toString(), "--out", tmp.resolve("m").toString());
    assertEquals(2, m.exitCode(), "a folder that is no model bundle: " + m.err());
    assertFalse(Files.exists(tmp.resolve("m/samples.jsonl")));

    Path partial = Files.writeString(tmp.resolve("partial.jsonl"), "{\"task\":\"fim/task_001\",\"sample\":0,\"completion\":\"x\"}\n");
    Cli.Run p = Cli.run("bench", "--suite", SUITE.toString(), "--from-samples", partial.toString(), "--out", tmp.resolve("p").toString());
    assertEquals(2, p.exitCode());
    assertTrue(p.err().contains("task bugs/task_001 has no samples"), p.err());

    Cli.Run both = Cli.run("bench", "--suite", SUITE.toString(), "--oracle", "--from-samples", partial.toString());
    assertEquals(2, both.exitCode());
  }
}
