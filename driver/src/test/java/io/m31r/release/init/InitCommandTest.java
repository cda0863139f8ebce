package io.m31r.release.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.config.ConfigLoader;
import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.GitCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code m31r init}: what it finds, what it refuses, and that it never overwrites. */
class InitCommandTest {
  @TempDir Path repo;

  @Test
  void findsEveryPieceAndWritesACommentedConfigWithRelativePaths() throws Exception {
    GitCli.run(repo, "init", "-q");
    writeModel();
    writeDataAndSuite();
    Cli.Run r = Cli.runWithoutSpark("init", repo.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("found checkpoint: models/run1"), r.out());
    Path file = repo.resolve("release.yaml");
    ReleaseSettings s = new ConfigLoader().load(file).requireRelease("export");
    assertEquals(List.of("models/run1", "tokenizer.json", "configs/train.yaml", "data", "benchmarks", "../release", "."),
        List.of(s.checkpoint(), s.tokenizer(), s.trainingConfig(), s.dataset(), s.suite(), s.root(), s.gitRepository()));
    assertEquals(List.of("{m31r}", "check-suite", "benchmarks", "--junit", "{reports}"), s.testCommand());
    assertEquals("fn add(a: i32, b: i32) -> i32 {", s.smokePrompt());
    // Every key of the release section is explained by a comment right above it (or beside it).
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.matches("  [a-z_]+:.*") && !line.contains("#")) {
        assertTrue(lines.get(i - 1).strip().startsWith("#"), "no comment above: " + line);
      }
    }
  }

  @Test
  void refusesListingExactlyWhatIsMissingAndWritesNothing() throws Exception {
    GitCli.run(repo, "init", "-q");
    writeModel();
    Files.delete(repo.resolve("models/run1/model.safetensors"));
    Cli.Run r = Cli.runWithoutSpark("init", repo.toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("missing: checkpoint (a folder holding model.safetensors); dataset ("), r.err());
    assertTrue(r.err().contains("; suite (a folder of <category>/task_NNN/prompt.rs, or a MultiPL-E .jsonl); test command ("), r.err());
    assertFalse(r.err().contains("tokenizer ("), "the tokenizer was found: " + r.err());
    assertFalse(Files.exists(repo.resolve("release.yaml")));

    Path plain = Files.createDirectories(repo.resolve("not-a-repo"));
    Cli.Run noGit = Cli.runWithoutSpark("init", plain.toString());
    assertEquals(2, noGit.exitCode());
    assertTrue(noGit.err().contains("is not the top of a git repository"), noGit.err());
  }

  @Test
  void neverOverwritesAnExistingFile() throws Exception {
    GitCli.run(repo, "init", "-q");
    writeModel();
    writeDataAndSuite();
    Files.writeString(repo.resolve("release.yaml"), "mine\n");
    Cli.Run r = Cli.runWithoutSpark("init", repo.toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("already exists; init never overwrites"), r.err());
    assertEquals("mine\n", Files.readString(repo.resolve("release.yaml")));
  }

  private void writeModel() throws Exception {
    Files.createDirectories(repo.resolve("models/run1"));
    Files.write(repo.resolve("models/run1/model.safetensors"), new byte[8]);
    Files.writeString(repo.resolve("models/run1/tokenizer.json"), "{}");
    Files.writeString(repo.resolve("tokenizer.json"), "{}");
    Files.createDirectories(repo.resolve("configs"));
    Files.writeString(repo.resolve("configs/train.yaml"), "global:\n  seed: 1\nmodel:\n  n_layers: 1\ntrain:\n  batch_size: 1\n");
    Files.writeString(repo.resolve("configs/other.yaml"), "runtime:\n  port: 1\n");
  }

  private void writeDataAndSuite() throws Exception {
    Files.createDirectories(repo.resolve("data"));
    Files.writeString(repo.resolve("data/shard_0000.json"), "{\"tokens\": [1, 2]}");
    Path task = Files.createDirectories(repo.resolve("benchmarks/completion/task_001"));
    Files.writeString(task.resolve("prompt.rs"), "// Add.\nfn add(a: i32, b: i32) -> i32 {\n");
  }
}
