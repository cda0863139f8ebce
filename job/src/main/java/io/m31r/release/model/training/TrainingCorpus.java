package io.m31r.release.model.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.formats.StrictMappers;
import io.m31r.release.model.tokenizer.M31rTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training documents: every record of the dataset's JSONL text shards ({@code text/*.jsonl},
 * one {@code {"id", "text"}} object per line, shards in name order), tokenised and followed by
 * eos so that the model learns where a function ends. A document longer than the context window
 * is cut into consecutive windows, each trained from position 0.
 *
 * <p>Each line is tokenised on its own. Byte-level BPE merges a newline with the next line's
 * indentation, so a prompt that ends at a line end (as completion prompts do) would otherwise end
 * in a token the model only ever saw before a closing brace, and it would close the function at
 * once. Cutting at line ends in training makes a prompt's tokens the ones the model learnt.
 */
public final class TrainingCorpus {
  private static final ObjectMapper JSON = StrictMappers.json();

  private final List<int[]> rows;

  private TrainingCorpus(List<int[]> rows) {
    this.rows = List.copyOf(rows);
  }

  public static TrainingCorpus load(Path datasetDir, M31rTokenizer tokenizer, int contextLength) {
    Path textDir = datasetDir.resolve("text");
    if (!Files.isDirectory(textDir)) {
      throw new BadInputException("training dataset " + datasetDir + " has no text/ directory of JSONL shards");
    }
    int eos = tokenizer.eosId().orElseThrow(
        () -> new BadInputException("tokenizer has no <eos> token; the trainer needs it to end documents"));
    List<Path> shards;
    try (Stream<Path> files = Files.list(textDir)) {
      shards = files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    } catch (IOException e) {
      throw new InfrastructureException("cannot list " + textDir + ": " + e.getMessage(), e);
    }
    List<int[]> rows = new ArrayList<>();
    for (Path shard : shards) {
      List<String> lines;
      try {
        lines = Files.readAllLines(shard, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new InfrastructureException("cannot read " + shard + ": " + e.getMessage(), e);
      }
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        String text = text(shard, i + 1, lines.get(i));
        int[] ids = encodeByLine(tokenizer, text);
        int[] doc = Arrays.copyOf(ids, ids.length + 1);
        doc[ids.length] = eos;
        // A row of n tokens trains n - 1 predictions from n - 1 inputs, so it may hold ctx + 1.
        for (int from = 0; from < doc.length - 1; from += contextLength) {
          rows.add(Arrays.copyOfRange(doc, from, Math.min(doc.length, from + contextLength + 1)));
        }
      }
    }
    if (rows.isEmpty()) {
      throw new BadInputException("training dataset " + datasetDir + " has no documents under text/*.jsonl");
    }
    return new TrainingCorpus(rows);
  }

  static int[] encodeByLine(M31rTokenizer tokenizer, String text) {
    List<int[]> parts = new ArrayList<>();
    int total = 0;
    int from = 0;
    while (from < text.length()) {
      int nl = text.indexOf('\n', from);
      int to = nl < 0 ? text.length() : nl + 1;
      int[] ids = tokenizer.encode(text.substring(from, to));
      parts.add(ids);
      total += ids.length;
      from = to;
    }
    int[] out = new int[total];
    int at = 0;
    for (int[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static String text(Path shard, int line, String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (IOException e) {
      throw new BadInputException(shard.getFileName() + " line " + line + " is not JSON: " + e.getMessage());
    }
    JsonNode text = node == null ? null : node.get("text");
    if (text == null || !text.isTextual() || text.textValue().isEmpty()) {
      throw new BadInputException(shard.getFileName() + " line " + line + " has no non-empty \"text\" string");
    }
    return text.textValue();
  }

  /** Token rows, each at least 2 tokens and at most context + 1. */
  public List<int[]> rows() {
    return rows;
  }

  public long tokens() {
    return rows.stream().mapToLong(r -> r.length).sum();
  }
}
