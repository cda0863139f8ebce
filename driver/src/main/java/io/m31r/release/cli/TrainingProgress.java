package io.m31r.release.cli;

import io.m31r.release.model.training.ModelTrainer;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A text progress bar for training: one line at most every two seconds (and the last step), with
 * the step, the loss, the rate and the time left. Lines, not carriage returns, so that logs of
 * scheduled runs stay readable.
 */
final class TrainingProgress implements ModelTrainer.StepListener {
  private static final int WIDTH = 30;
  private static final long INTERVAL_NANOS = 2_000_000_000L;

  private final PrintStream out;
  private final long start = System.nanoTime();
  private long lastPrint = start;

  TrainingProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public void stepDone(int step, int steps, float loss) {
    long now = System.nanoTime();
    if (step != steps && now - lastPrint < INTERVAL_NANOS) {
      return;
    }
    lastPrint = now;
    double seconds = Math.max((now - start) / 1e9, 1e-9);
    double rate = step / seconds;
    int filled = (int) ((long) WIDTH * step / steps);
    long left = Math.round((steps - step) / rate);
    out.println(
        String.format(
            Locale.ROOT,
            "train: [%s%s] step %d/%d, loss %.4f, %.1f steps/s, ETA %d:%02d",
            "#".repeat(filled),
            ".".repeat(WIDTH - filled),
            step,
            steps,
            loss,
            rate,
            left / 60,
            left % 60));
  }
}
