package io.m31r.release.sample;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.json.CanonicalJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the sample dataset in the upstream shard formats: JSONL text shards, token shards as
 * {@code shard_NNNN.json} and raw little-endian int32 {@code shard_NNNN.bin}, and the upstream
 * {@code manifest.json}. Token ids are byte-level (UTF-8 byte + 4, so that 0-3 stay the special
 * tokens), which every corpus can be encoded with and decoded back from exactly.
 */
public final class SampleDatasetWriter {
  static final int SPECIAL_TOKENS = 4;

  private final long seed;
  private final int shards;

  public SampleDatasetWriter(long seed, int shards) {
    if (shards < 1 || shards > 1000) {
      throw new BadInputException("--shards must be in [1, 1000]: " + shards);
    }
    this.seed = seed;
    this.shards = shards;
  }

  /** Writes into {@code dir}, which must be absent or empty. Returns the number of files. */
  public int write(Path dir) {
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
      ArrayNode shardNames = CanonicalJson.mapper().createArrayNode();
      long totalTokens = 0;
      int files = 0;
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
        byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
        int[] tokens = new int[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
          tokens[i] = (utf8[i] & 0xff) + SPECIAL_TOKENS;
        }
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
      ObjectNode manifest = CanonicalJson.mapper().createObjectNode();
      manifest.put("version", "1.0.0");
      manifest.put("num_shards", shards);
      manifest.put("total_tokens", totalTokens);
      manifest.put("vocab_size", 256 + SPECIAL_TOKENS);
      manifest.put("seed", seed);
      manifest.set("shards", shardNames);
      Files.write(dir.resolve("manifest.json"), CanonicalJson.bytes(manifest));
      return files + 1;
    } catch (IOException e) {
      throw new InfrastructureException("cannot write sample dataset to " + dir + ": " + e.getMessage(), e);
    }
  }
}
