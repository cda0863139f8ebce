package io.m31r.release.spark;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Console progress of a Spark stage of ours counted in finished tasks: for work whose unit is
 * a task (generate and judge one partition of benchmark tasks), not a byte.
 */
public final class SparkTaskProgress implements AutoCloseable {
  private final SparkContext context;
  private final SparkListener listener;
  private final ProgressReporter reporter;

  private SparkTaskProgress(SparkContext context, SparkListener listener, ProgressReporter reporter) {
    this.context = context;
    this.listener = listener;
    this.reporter = reporter;
  }

  /** Starts counting now; a null stream prints nothing. */
  public static SparkTaskProgress start(SparkContext context, String stage, PrintStream out, long intervalMillis) {
    AtomicLong total = new AtomicLong();
    AtomicLong done = new AtomicLong();
    SparkListener listener = new SparkListener() {
      @Override
      public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
        total.addAndGet(submitted.stageInfo().numTasks());
      }

      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskInfo().successful()) {
          done.incrementAndGet();
        }
      }
    };
    context.addSparkListener(listener);
    ProgressReporter reporter = out == null
        ? ProgressReporter.quiet(stage, 0)
        : ProgressReporter.counting(stage, "tasks", total::get, done::get, out, intervalMillis);
    return new SparkTaskProgress(context, listener, reporter);
  }

  @Override
  public void close() {
    reporter.close();
    context.removeSparkListener(listener);
  }
}
