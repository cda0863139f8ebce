package io.m31r.release.model.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Trains a GPT-2 style byte-level BPE vocabulary: the four special tokens at ids 0..3, the 256 byte
 * symbols at 4..259, then the most frequent adjacent pair merged repeatedly until the vocabulary
 * is full or no pair occurs twice. The same texts always give the same vocabulary.
 */
public final class BpeTrainer {
  public static final List<String> SPECIAL_TOKENS = List.of("<pad>", "<unk>", "<bos>", "<eos>");
  public static final int BASE_VOCAB_SIZE = SPECIAL_TOKENS.size() + 256;

  private final List<String> tokens = new ArrayList<>();
  private final Map<String, Integer> ids = new HashMap<>();
  private final List<BpeVocabulary.Merge> merges = new ArrayList<>();
  private final PairQueue queue = new PairQueue(tokens);
  // Which words may hold a pair; entries go stale after merges and are rechecked when used.
  private final Map<Long, Set<Integer>> wordsWithPair = new HashMap<>();
  private final List<int[]> words = new ArrayList<>();
  private final List<Long> wordCounts = new ArrayList<>();

  private BpeTrainer() {}

  public static BpeVocabulary train(List<String> texts, int vocabSize) {
    if (vocabSize < BASE_VOCAB_SIZE) {
      throw new IllegalArgumentException(
          "vocab size " + vocabSize + " is below the " + BASE_VOCAB_SIZE + " special and byte tokens");
    }
    if (texts == null || texts.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException("training texts must be a list of non-null strings");
    }
    BpeTrainer trainer = new BpeTrainer();
    trainer.addBaseVocabulary();
    trainer.countWords(texts);
    trainer.mergeUntil(vocabSize);
    return new BpeVocabulary(trainer.tokens, trainer.merges);
  }

  private void addBaseVocabulary() {
    SPECIAL_TOKENS.forEach(this::addToken);
    for (int b = 0; b < 256; b++) {
      addToken(String.valueOf(ByteLevelAlphabet.charFor(b)));
    }
  }

  private int addToken(String token) {
    tokens.add(token);
    ids.put(token, tokens.size() - 1);
    return tokens.size() - 1;
  }

  private void countWords(List<String> texts) {
    // Sorted so word indices, like everything else here, never depend on hash order.
    Map<String, Long> counts = new TreeMap<>();
    for (String text : texts) {
      for (String piece : ByteLevelPreTokenizer.split(text)) {
        counts.merge(piece, 1L, Long::sum);
      }
    }
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      String piece = e.getKey();
      int[] symbols = new int[piece.length()];
      for (int i = 0; i < symbols.length; i++) {
        symbols[i] = SPECIAL_TOKENS.size() + ByteLevelAlphabet.byteFor(piece.charAt(i));
      }
      words.add(symbols);
      wordCounts.add(e.getValue());
      countPairs(words.size() - 1, symbols, 1);
    }
  }

  /** Adds (sign 1) or removes (sign -1) the word's adjacent pairs from the counts. */
  private void countPairs(int word, int[] symbols, int sign) {
    long count = wordCounts.get(word);
    for (int i = 0; i + 1 < symbols.length; i++) {
      long pair = PairQueue.pair(symbols[i], symbols[i + 1]);
      queue.add(pair, sign * count);
      if (sign > 0) {
        wordsWithPair.computeIfAbsent(pair, p -> new TreeSet<>()).add(word);
      }
    }
  }

  private void mergeUntil(int vocabSize) {
    while (tokens.size() < vocabSize) {
      long best = queue.best(2);
      if (best < 0) {
        return;
      }
      int left = PairQueue.left(best);
      int right = PairQueue.right(best);
      String joined = tokens.get(left) + tokens.get(right);
      // Different pairs can spell the same string ("a"+"bc", "ab"+"c"); they share one id.
      Integer existing = ids.get(joined);
      int merged = existing != null ? existing : addToken(joined);
      merges.add(new BpeVocabulary.Merge(tokens.get(left), tokens.get(right)));
      for (int word : wordsWithPair.remove(best)) {
        applyMerge(word, left, right, merged);
      }
    }
  }

  private void applyMerge(int word, int left, int right, int merged) {
    int[] old = words.get(word);
    int[] next = new int[old.length];
    int n = 0;
    for (int i = 0; i < old.length; i++) {
      if (i + 1 < old.length && old[i] == left && old[i + 1] == right) {
        next[n++] = merged;
        i++;
      } else {
        next[n++] = old[i];
      }
    }
    if (n == old.length) {
      return;
    }
    int[] symbols = Arrays.copyOf(next, n);
    countPairs(word, old, -1);
    countPairs(word, symbols, 1);
    words.set(word, symbols);
  }
}
