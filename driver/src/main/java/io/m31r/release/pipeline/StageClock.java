package io.m31r.release.pipeline;

import io.m31r.release.logging.EventLog;
import io.m31r.release.report.StageTiming;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the stages in order, says on the console which one runs and how long each took, and keeps
 * the timings for the report. The current stage's name goes into the one-line error of a failure.
 */
final class StageClock {
  private final EventLog log;
  private final int total;
  private final List<StageTiming> timings = new ArrayList<>();
  private String current = "setup";

  StageClock(EventLog log, int total) {
    this.log = log;
    this.total = total;
  }

  <T> T run(String stage, Supplier<T> body) {
    current = stage;
    int n = timings.size() + 1;
    log.info(stage, String.format(Locale.ROOT, "stage %d/%d %s", n, total, stage));
    long t0 = System.nanoTime();
    T result = body.get();
    double seconds = (System.nanoTime() - t0) / 1e9;
    timings.add(new StageTiming(stage, seconds));
    log.info(stage, String.format(Locale.ROOT, "stage %s done in %.1f s", stage, seconds), Map.of("seconds", seconds));
    return result;
  }

  String current() {
    return current;
  }

  List<StageTiming> timings() {
    return List.copyOf(timings);
  }
}
