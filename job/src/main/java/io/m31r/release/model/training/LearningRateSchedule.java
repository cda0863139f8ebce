package io.m31r.release.model.training;

/**
 * Upstream's schedule: linear warm-up from {@code lr / warmup} to {@code lr} over the first
 * {@code warmup} steps, then a half cosine from {@code lr} down to {@code minLr} at the last step.
 */
public record LearningRateSchedule(double lr, double minLr, int warmup, int steps) {
  public LearningRateSchedule {
    if (steps < 1 || warmup < 0 || warmup > steps || minLr > lr) {
      throw new IllegalArgumentException("bad schedule: " + lr + ", " + minLr + ", " + warmup + ", " + steps);
    }
  }

  /** The rate for 0-based {@code step}. */
  public double at(int step) {
    if (step < warmup) {
      return lr * (step + 1) / warmup;
    }
    int span = steps - warmup;
    double progress = span <= 1 ? 1.0 : (double) (step - warmup) / (span - 1);
    // StrictMath, not Math: an interpreted and a JIT-compiled Math.cos may differ in the last bit,
    // and which one a step gets depends on timing; one ulp of learning rate changes the weights.
    return minLr + 0.5 * (lr - minLr) * (1 + StrictMath.cos(Math.PI * Math.min(1.0, progress)));
  }
}
