package io.m31r.release.model.generate;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.model.LoadedModel;
import io.m31r.release.model.runtime.KvCache;
import io.m31r.release.model.runtime.M31rTransformer;
import io.m31r.release.model.tokenizer.M31rTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Autoregressive generation of several samples for one prompt. The prompt runs once (positions
 * from 0, no BOS), its cache is replicated to every sample, and the samples then advance together
 * one token per batched step. A finished sample keeps a slot in the batch (fed a filler token whose
 * output is ignored) so that the batch shape stays fixed.
 *
 * <p>A sample ends at the end-of-sequence token (not emitted), at a stop string (text cut before
 * it), after {@code maxNewTokens}, or when prompt plus completion fill the context window.
 */
public final class Generator {
  private Generator() {}

  public static GenerationResult generate(LoadedModel model, GenerationRequest request) {
    M31rTokenizer tokenizer = model.tokenizer();
    M31rTransformer transformer = model.transformer();
    int contextLength = model.config().contextLength();
    int[] prompt = tokenizer.encode(request.prompt());
    if (prompt.length == 0) {
      throw new BadInputException("prompt encodes to no tokens");
    }
    if (prompt.length > contextLength) {
      throw new PromptTooLongException(prompt.length, contextLength);
    }
    int n = request.samples();
    int eos = tokenizer.eosId().orElse(-1);
    int filler = Math.max(eos, 0);
    int allowed = tokenizer.vocabSize();
    TokenSampler sampler = new TokenSampler(request.sampling());
    SplittableRandom[] random = new SplittableRandom[n];
    for (int s = 0; s < n; s++) {
      random[s] = new SplittableRandom(SampleSeeds.derive(request.seed(), request.prompt(), s));
    }
    // Never more than the window leaves: the last token may be sampled but not fed back.
    int capacity = Math.min(request.maxNewTokens(), contextLength - prompt.length + 1);
    int[][] tokens = new int[n][capacity];
    int[] counts = new int[n];
    Completion[] done = new Completion[n];
    int sampled = 0;

    long start = System.nanoTime();
    long firstTokenAt = -1;
    int decodeSteps = 0;
    KvCache cache = transformer.newCache(1);
    try {
      float[] promptLogits = transformer.step(new int[][] {prompt}, cache)[0];
      float[][] logits = new float[n][];
      Arrays.fill(logits, promptLogits);
      if (n > 1) {
        KvCache single = cache;
        cache = single.replicate(n);
        single.close();
      }
      int cached = prompt.length;
      while (true) {
        int[][] next = new int[n][1];
        int active = 0;
        for (int s = 0; s < n; s++) {
          next[s][0] = filler;
          if (done[s] != null) {
            continue;
          }
          int id = sampler.next(logits[s], allowed, random[s]);
          sampled++;
          if (id == eos) {
            done[s] = new Completion(tokenizer.decode(Arrays.copyOf(tokens[s], counts[s])), counts[s], FinishReason.EOS);
            continue;
          }
          tokens[s][counts[s]++] = id;
          next[s][0] = id;
          done[s] = finishedAfter(tokenizer, request, tokens[s], counts[s]);
          if (done[s] == null) {
            active++;
          }
        }
        if (firstTokenAt < 0) {
          firstTokenAt = System.nanoTime();
        }
        if (active == 0) {
          break;
        }
        if (cached >= contextLength) {
          for (int s = 0; s < n; s++) {
            if (done[s] == null) {
              done[s] = new Completion(tokenizer.decode(Arrays.copyOf(tokens[s], counts[s])), counts[s], FinishReason.CONTEXT);
            }
          }
          break;
        }
        logits = transformer.step(next, cache);
        cached++;
        decodeSteps++;
      }
    } finally {
      cache.close();
    }
    long end = System.nanoTime();
    double ttftMs = (firstTokenAt - start) / 1e6;
    Double msPerToken = decodeSteps == 0 ? null : (end - firstTokenAt) / 1e6 / decodeSteps;
    List<Completion> completions = new ArrayList<>(Arrays.asList(done));
    return new GenerationResult(completions, prompt.length, sampled, ttftMs, msPerToken);
  }

  /** The completion if this token ended the sample by stop string or budget, else null. */
  private static Completion finishedAfter(M31rTokenizer tokenizer, GenerationRequest request, int[] tokens, int count) {
    if (!request.stops().isEmpty()) {
      String text = tokenizer.decode(Arrays.copyOf(tokens, count));
      int at = StopStrings.firstMatch(text, request.stops());
      if (at >= 0) {
        return new Completion(text.substring(0, at), count, FinishReason.STOP);
      }
    }
    if (count == request.maxNewTokens()) {
      return new Completion(tokenizer.decode(Arrays.copyOf(tokens, count)), count, FinishReason.LENGTH);
    }
    return null;
  }
}
