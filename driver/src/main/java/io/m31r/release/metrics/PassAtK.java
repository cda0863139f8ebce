package io.m31r.release.metrics;

/**
 * The unbiased pass@k estimator of Chen et al. (2021): with n samples of which c pass,
 * {@code 1 - C(n-c, k) / C(n, k)}, the chance that k samples drawn without replacement include a
 * passing one. Computed as {@code 1 - prod_{i=n-c+1}^{n} (1 - k/i)}, which equals the ratio of
 * binomials but never forms them: C(n, k) overflows a double for n in the low thousands and
 * loses integer precision far earlier, while the product's factors all lie in [0, 1).
 */
public final class PassAtK {
  private PassAtK() {}

  public static double estimate(int n, int c, int k) {
    if (n <= 0 || c < 0 || c > n) {
      throw new IllegalArgumentException("need n > 0 and 0 <= c <= n, got n=" + n + " c=" + c);
    }
    if (k < 1) {
      throw new KExceedsSamplesException("pass@" + k + ": k must be at least 1");
    }
    if (k > n) {
      throw new KExceedsSamplesException("pass@" + k + " needs at least " + k + " samples per task, a task has " + n);
    }
    if (n - c < k) {
      return 1.0;
    }
    double allFail = 1.0;
    for (int i = n - c + 1; i <= n; i++) {
      allFail *= 1.0 - (double) k / i;
    }
    return 1.0 - allFail;
  }
}
