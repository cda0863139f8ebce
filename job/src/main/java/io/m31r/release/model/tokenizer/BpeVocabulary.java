package io.m31r.release.model.tokenizer;

import java.util.List;

/**
 * What {@link BpeTrainer} learned: token strings by id (specials first, then the 256 byte symbols,
 * then merge results) and the merges in the order they were learned, which is their rank.
 */
public record BpeVocabulary(List<String> tokens, List<Merge> merges) {
  public BpeVocabulary {
    tokens = List.copyOf(tokens);
    merges = List.copyOf(merges);
  }

  /** Two adjacent token strings that encode as one token, their concatenation. */
  public record Merge(String left, String right) {}

  public int size() {
    return tokens.size();
  }
}
