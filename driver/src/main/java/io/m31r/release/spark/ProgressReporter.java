package io.m31r.release.spark;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Prints "done / total, rate, ETA" for a long stage from a background thread, at a fixed
 * interval, and a last line when closed. A quiet reporter prints nothing.
 */
public final class ProgressReporter implements AutoCloseable {
  private final String stage;
  private final LongSupplier total;
  private final LongSupplier done;
  private final String unit;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private final Thread thread;

  private ProgressReporter(
      String stage, LongSupplier total, LongSupplier done, String unit, PrintStream out, long intervalMillis) {
    this.stage = stage;
    this.total = total;
    this.done = done;
    this.unit = unit;
    this.out = out;
    if (out == null) {
      thread = null;
      return;
    }
    thread =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(intervalMillis);
                  out.println(line(done.getAsLong()));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "m31r-progress-" + stage);
    thread.setDaemon(true);
    thread.start();
  }

  public static ProgressReporter start(
      String stage, long totalBytes, LongSupplier doneBytes, PrintStream out, long intervalMillis) {
    return new ProgressReporter(stage, () -> totalBytes, doneBytes, null, out, intervalMillis);
  }

  /**
   * Progress in countable units ({@code tasks}, {@code steps}); the total may grow while the stage
   * runs, as Spark submits its stages one after another.
   */
  public static ProgressReporter counting(
      String stage, String unit, LongSupplier total, LongSupplier done, PrintStream out, long intervalMillis) {
    return new ProgressReporter(stage, total, done, unit, out, intervalMillis);
  }

  public static ProgressReporter quiet(String stage, long totalBytes) {
    return new ProgressReporter(stage, () -> totalBytes, () -> 0, null, null, 0);
  }

  String line(long amount) {
    long all = total.getAsLong();
    double seconds = Math.max((System.nanoTime() - startNanos) / 1e9, 1e-9);
    double rate = amount / seconds;
    String eta = rate <= 0 || amount == 0 ? "--" : formatSeconds(Math.max(0, all - amount) / rate);
    double pct = all == 0 ? 100.0 : 100.0 * amount / all;
    if (unit != null) {
      return String.format(
          Locale.ROOT, "%s: %d / %d %s (%.1f%%), %.2f %s/s, ETA %s", stage, amount, all, unit, pct, rate, unit, eta);
    }
    return String.format(
        Locale.ROOT,
        "%s: %s / %s (%.1f%%), %.2f GB/s, ETA %s",
        stage,
        human(amount),
        human(all),
        pct,
        rate / 1e9,
        eta);
  }

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  static String formatSeconds(double s) {
    long t = Math.round(s);
    return t >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60)
        : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.println(line(done.getAsLong()));
    }
  }
}
