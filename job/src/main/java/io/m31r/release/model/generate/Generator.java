package io.m31r.release.model.generate;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.model.LoadedModel;
import io.m31r.release.model.runtime.KvCache;
import io.m31r.release.model.runtime.M31rTransformer;
import io.m31r.release.model.runtime.TopK;
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
      Choices choices = Choices.step(transformer, new int[][] {prompt}, cache, request.sampling(), allowed).replicated(n);
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
          int id = choices.pick(s, sampler, allowed, random[s]);
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
        choices = Choices.step(transformer, next, cache, request.sampling(), allowed);
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

  /**
   * What one step hands the sampler per row, chosen so that as little as possible leaves the
   * engine: the greedy id (argmax on the engine's side), the top-k candidates when top-k sampling
   * is on, or else the whole row of logits. Each gives the token the Java sampler would pick from
   * the whole row (TokenSampler, M31rTransformer.stepGreedy and stepTopK say why).
   */
  private record Choices(int[] ids, TopK[] top, float[][] logits) {
    static Choices step(M31rTransformer t, int[][] tokens, KvCache cache, SamplingParams sampling, int allowed) {
      if (sampling.greedy()) {
        return new Choices(t.stepGreedy(tokens, cache, allowed), null, null);
      }
      if (sampling.topK() > 0) {
        return new Choices(null, t.stepTopK(tokens, cache, allowed, sampling.topK()), null);
      }
      return new Choices(null, null, t.step(tokens, cache));
    }

    /** The prompt's single row, shared by {@code n} samples. */
    Choices replicated(int n) {
      if (ids != null) {
        int[] out = new int[n];
        Arrays.fill(out, ids[0]);
        return new Choices(out, null, null);
      }
      if (top != null) {
        TopK[] out = new TopK[n];
        Arrays.fill(out, top[0]);
        return new Choices(null, out, null);
      }
      float[][] out = new float[n][];
      Arrays.fill(out, logits[0]);
      return new Choices(null, null, out);
    }

    int pick(int row, TokenSampler sampler, int allowed, SplittableRandom random) {
      if (ids != null) {
        return ids[row];
      }
      if (top != null) {
        return sampler.next(top[row], allowed, random);
      }
      return sampler.next(logits[row], allowed, random);
    }
  }
}
