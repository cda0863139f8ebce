package io.m31r.release.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.testing.Cli;
import io.m31r.release.testing.GitCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"freeze", "verify-dataset", "sample"})
  void everyCommandHasHelp(String command) {
    Cli.Run r = Cli.run(command, "--help");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().contains("Usage: m31r " + command), r.out());
  }

  @Test
  void topLevelHelpListsTheExitCodes() {
    Cli.Run r = Cli.run("--help");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().contains("4   integrity failure"), r.out());
    assertTrue(r.out().contains("5   conflict"), r.out());
  }

  @Test
  void usageErrorsExitWith2() {
    assertEquals(2, Cli.run().exitCode());
    assertEquals(2, Cli.run("no-such-command").exitCode());
    assertEquals(2, Cli.run("freeze", "--dataset", "x").exitCode(), "missing --out");
    assertEquals(2, Cli.run("freeze", "--bogus").exitCode());
  }

  @Test
  void aBadConfigFileExitsWith2NamingTheKey() throws Exception {
    Path conf = Files.writeString(tmp.resolve("release.yaml"),
        "config_version: 1\nfreeze: {buffer_bytes: 4096, tasks_per_core: 1, progress_interval_seconds: 1, min_task_bytes: 1, turbo: true}\n");
    Cli.Run r = Cli.run("--config", conf.toString(), "freeze", "--dataset", tmp.toString(), "--out", tmp.resolve("m").toString());
    assertEquals(2, r.exitCode());
    assertEquals("m31r: config " + conf + " freeze.turbo: unknown key", r.err().strip());
  }

  @Test
  void sampleIsDeterministicAndRefusesANonEmptyTarget() throws Exception {
    Path a = io.m31r.release.testing.SampleWorkspaces.master();
    Cli.Run b = io.m31r.release.testing.Cli.run("sample", "--out", tmp.resolve("b").toString(), "--quiet");
    assertEquals(0, b.exitCode(), b.err());
    // The corpus test report holds measured times, and git's index file modification times; the
    // history is compared through its commits instead, all but the report's (the last) identical.
    try (var files = Files.walk(a)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Path relative = a.relativize(p);
        if (relative.startsWith(".git") || relative.startsWith("reports")) {
          continue;
        }
        assertEquals(-1L, Files.mismatch(p, tmp.resolve("b").resolve(relative)), p.toString());
      }
    }
    assertEquals(GitCli.run(a, "rev-parse", "HEAD~1"), GitCli.run(tmp.resolve("b"), "rev-parse", "HEAD~1"));
    Cli.Run again = Cli.run("sample", "--out", a.toString());
    assertEquals(2, again.exitCode());
    assertTrue(again.err().contains("already exists"), again.err());
  }

  /** Token shards hold the trained tokenizer's ids, and they spell the text shards exactly. */
  @Test
  void sampleTokenShardsDecodeToTheCorpus() throws Exception {
    Path ws = io.m31r.release.testing.SampleWorkspaces.master();
    var mapper = io.m31r.release.json.CanonicalJson.mapper();
    StringBuilder text = new StringBuilder();
    for (String line : Files.readAllLines(ws.resolve("dataset/text/shard_0000.jsonl"))) {
      text.append(mapper.readTree(line).get("text").asText()).append('\n');
    }
    var tokens = mapper.readTree(ws.resolve("dataset/tokens/shard_0000.json").toFile()).get("tokens");
    int[] ids = new int[tokens.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = tokens.get(i).intValue();
    }
    try (var tokenizer = io.m31r.release.model.tokenizer.M31rTokenizer.load(ws.resolve("tokenizer.json"))) {
      assertEquals(text.toString(), tokenizer.decode(ids));
      assertTrue(ids.length < text.length() * 2 / 3, "BPE merges shorten the corpus: " + ids.length + " ids for " + text.length() + " chars");
      assertEquals(tokenizer.vocabSize(),
          mapper.readTree(ws.resolve("dataset/manifest.json").toFile()).get("vocab_size").asInt());
    }
  }

  /** The suite derived from the corpus is self-consistent: every reference solution passes its tests. */
  @Test
  void sampleSuiteOracleScoresEveryTask() throws Exception {
    Path ws = io.m31r.release.testing.SampleWorkspaces.master();
    Cli.Run r = Cli.run("bench", "--suite", ws.resolve("benchmarks").toString(), "--oracle",
        "--out", tmp.resolve("suite-oracle").toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("pass@1: 1.0000"), r.out());
    var report = io.m31r.release.json.CanonicalJson.mapper().readTree(tmp.resolve("suite-oracle/report.json").toFile());
    assertTrue(report.at("/suite/tasks").asInt() >= 30, report.at("/suite").toString());
  }
}
