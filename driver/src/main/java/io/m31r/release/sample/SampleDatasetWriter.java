package io.m31r.release.sample;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.model.tokenizer.BpeTrainer;
import io.m31r.release.model.tokenizer.HfTokenizerJson;
import io.m31r.release.model.tokenizer.M31rTokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the sample workspace's tokenizer and dataset: a byte-level BPE {@code tokenizer.json}
 * trained on the corpus by the project's own {@link BpeTrainer}, then the dataset in the upstream
 * shard formats: JSONL text shards, token shards as {@code shard_NNNN.json} and raw little-endian
 * int32 {@code shard_NNNN.bin} holding that tokenizer's ids, and the upstream {@code manifest.json}.
 */
public final class SampleDatasetWriter {
  /** Merges run out well before this on the sample corpus; the real size is what they reach. */
  static final int TARGET_VOCAB_SIZE = 1024;

  private final long seed;
  private final int shards;

  public SampleDatasetWriter(long seed, int shards) {
    if (shards < 1 || shards > 1000) {
      throw new BadInputException("--shards must be in [1, 1000]: " + shards);
    }
    this.seed = seed;
    this.shards = shards;
  }

  /**
   * Writes {@code tokenizerFile} and the dataset into {@code dir}, which must be absent or empty.
   * Returns the number of dataset files.
   */
  public int write(Path dir, Path tokenizerFile) {
    try {
      if (Files.exists(dir)) {
        try (var entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            throw new BadInputException("sample output " + dir + " already exists and is not empty");
          }
        }
      }
      Files.createDirectories(dir.resolve("text"));
      Files.createDirectories(dir.resolve("tokens"));
      List<RustCorpus.Function> corpus = RustCorpus.generate(seed);
      Files.createDirectories(tokenizerFile.getParent());
      HfTokenizerJson.write(
          BpeTrainer.train(corpus.stream().map(RustCorpus.Function::source).toList(), TARGET_VOCAB_SIZE), tokenizerFile);
      ArrayNode shardNames = CanonicalJson.mapper().createArrayNode();
      long totalTokens = 0;
      int files = 0;
      int vocabSize;
      try (M31rTokenizer tokenizer = M31rTokenizer.load(tokenizerFile)) {
        vocabSize = tokenizer.vocabSize();
      for (int s = 0; s < shards; s++) {
        StringBuilder jsonl = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (int i = s; i < corpus.size(); i += shards) {
          RustCorpus.Function f = corpus.get(i);
          ObjectNode rec = CanonicalJson.mapper().createObjectNode();
          rec.put("id", f.name());
          rec.put("text", f.source());
          jsonl.append(CanonicalJson.mapper().writeValueAsString(rec)).append('\n');
          text.append(f.source()).append('\n');
        }
        String stem = String.format("shard_%04d", s);
        Files.writeString(dir.resolve("text").resolve(stem + ".jsonl"), jsonl, StandardCharsets.UTF_8);
        int[] tokens = tokenizer.encode(text.toString());
        totalTokens += tokens.length;
        // Even shards as upstream JSON token shards, odd ones as raw int32: both formats get exercised.
        if (s % 2 == 0) {
          ObjectNode tok = CanonicalJson.mapper().createObjectNode();
          ArrayNode arr = tok.putArray("tokens");
          for (int t : tokens) {
            arr.add(t);
          }
          Files.write(dir.resolve("tokens").resolve(stem + ".json"), CanonicalJson.mapper().writeValueAsBytes(tok));
          shardNames.add("tokens/" + stem + ".json");
        } else {
          ByteBuffer buf = ByteBuffer.allocate(tokens.length * 4).order(ByteOrder.LITTLE_ENDIAN);
          for (int t : tokens) {
            buf.putInt(t);
          }
          Files.write(dir.resolve("tokens").resolve(stem + ".bin"), buf.array());
          shardNames.add("tokens/" + stem + ".bin");
        }
        files += 2;
      }
      }
      ObjectNode manifest = CanonicalJson.mapper().createObjectNode();
      manifest.put("version", "1.0.0");
      manifest.put("num_shards", shards);
      manifest.put("total_tokens", totalTokens);
      manifest.put("vocab_size", vocabSize);
      manifest.put("seed", seed);
      manifest.set("shards", shardNames);
      Files.write(dir.resolve("manifest.json"), CanonicalJson.bytes(manifest));
      return files + 1;
    } catch (IOException e) {
      throw new InfrastructureException("cannot write sample dataset to " + dir + ": " + e.getMessage(), e);
    }
  }
}
