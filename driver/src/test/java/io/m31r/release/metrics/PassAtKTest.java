package io.m31r.release.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class PassAtKTest {
  static BigInteger choose(int n, int k) {
    if (k < 0 || k > n) {
      return BigInteger.ZERO;
    }
    BigInteger r = BigInteger.ONE;
    for (int i = 0; i < k; i++) {
      r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
    }
    return r;
  }

  /** 1 - C(n-c, k) / C(n, k), exactly, then rounded once. */
  static double exact(int n, int c, int k) {
    BigDecimal ratio = new BigDecimal(choose(n - c, k)).divide(new BigDecimal(choose(n, k)), MathContext.DECIMAL128);
    return BigDecimal.ONE.subtract(ratio).doubleValue();
  }

  @Test
  void matchesExactCombinatoricsEverywhereUpTo60() {
    for (int n = 1; n <= 60; n++) {
      for (int c = 0; c <= n; c++) {
        for (int k = 1; k <= n; k++) {
          assertEquals(exact(n, c, k), PassAtK.estimate(n, c, k), 1e-12, "n=" + n + " c=" + c + " k=" + k);
        }
      }
    }
  }

  @Test
  void staysAccurateWhereBinomialsOverflowDoubles() {
    // C(2000, 1000) is about 1e600, far past Double.MAX_VALUE.
    for (int[] t : new int[][] {{2000, 1, 1000}, {2000, 3, 10}, {2000, 1999, 1}, {1500, 7, 700}}) {
      assertEquals(exact(t[0], t[1], t[2]), PassAtK.estimate(t[0], t[1], t[2]), 1e-12);
    }
  }

  @Test
  void simpleValues() {
    assertEquals(0.0, PassAtK.estimate(10, 0, 5));
    assertEquals(1.0, PassAtK.estimate(10, 10, 1));
    assertEquals(0.3, PassAtK.estimate(10, 3, 1), 1e-15);
    assertEquals(1.0, PassAtK.estimate(10, 6, 5));
  }

  @Test
  void kAboveNIsRefusedNeverLowered() {
    var e = assertThrows(KExceedsSamplesException.class, () -> PassAtK.estimate(4, 2, 5));
    assertEquals("pass@5 needs at least 5 samples per task, a task has 4", e.getMessage());
    assertEquals(2, e.exitCode().code());
  }

  @Test
  void nearestRankPercentiles() {
    long[] v = {15, 20, 35, 40, 50};
    assertEquals(35L, Percentiles.nearestRank(v, 50));
    assertEquals(50L, Percentiles.nearestRank(v, 95));
    assertEquals(15L, Percentiles.nearestRank(v, 1));
    long[] twenty = new long[20];
    for (int i = 0; i < 20; i++) {
      twenty[i] = 20 - i;
    }
    assertEquals(19L, Percentiles.nearestRank(twenty, 95));
    assertEquals(10L, Percentiles.nearestRank(twenty, 50));
    assertEquals(null, Percentiles.nearestRank(new long[0], 50));
  }
}
