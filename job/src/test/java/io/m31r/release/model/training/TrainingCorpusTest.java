package io.m31r.release.model.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.model.tokenizer.BpeTrainer;
import io.m31r.release.model.tokenizer.HfTokenizerJson;
import io.m31r.release.model.tokenizer.M31rTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training shards are inputs, read as strictly as every other JSON we did not write. */
class TrainingCorpusTest {
  @TempDir Path tmp;

  @Test
  void aRecordWithTwoTextKeysIsRefusedNamingShardAndLine() throws Exception {
    List<String> docs = List.of("int add(int a, int b) { return a + b; }", "int sub(int a, int b) { return a - b; }");
    Path tokenizerFile = tmp.resolve("tokenizer.json");
    HfTokenizerJson.write(BpeTrainer.train(docs, 300), tokenizerFile);
    Path text = Files.createDirectories(tmp.resolve("dataset/text"));
    // Which text would be trained on is ambiguous; a lenient reader silently keeps the second.
    Files.writeString(text.resolve("shard_0000.jsonl"),
        "{\"text\": \"int one() { return 1; }\"}\n{\"text\": \"int a;\", \"text\": \"int b;\"}\n");
    try (M31rTokenizer tokenizer = M31rTokenizer.load(tokenizerFile)) {
      BadInputException e = assertThrows(BadInputException.class,
          () -> TrainingCorpus.load(tmp.resolve("dataset"), tokenizer, 32));
      assertEquals(ExitCode.BAD_INPUT, e.exitCode());
      assertTrue(e.getMessage().startsWith("shard_0000.jsonl line 2 is not JSON: Duplicate field 'text'"), e.getMessage());
    }
  }
}
