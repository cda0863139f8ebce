package io.m31r.release.spark;

import io.m31r.release.config.ReleaseConfig;
import io.m31r.release.failure.BadInputException;
import org.apache.spark.sql.SparkSession;

/**
 * Starts (or joins) the Spark application. The master is never chosen here: spark-submit sets it
 * on a cluster, scripts/m31r sets {@code local[*]} for embedded runs, tests set their own.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /** A session plus whether this call created it, so that only its creator stops it. */
  public record Handle(SparkSession session, boolean owned, double startupSeconds) implements AutoCloseable {
    @Override
    public void close() {
      if (owned) {
        session.stop();
      }
    }
  }

  public static Handle open(String appName, ReleaseConfig config) {
    boolean existed = SparkSession.getDefaultSession().isDefined() || SparkSession.getActiveSession().isDefined();
    long t0 = System.nanoTime();
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    config.hadoop().forEach((k, v) -> builder.config("spark.hadoop." + k, v));
    SparkSession session;
    try {
      session = builder.getOrCreate();
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("master URL must be set")) {
        throw new BadInputException(
            "no Spark master set: run through scripts/m31r (embedded local[*]) or spark-submit --master ...");
      }
      throw e;
    }
    if (existed) {
      config.hadoop().forEach((k, v) -> session.sparkContext().hadoopConfiguration().set(k, v));
    }
    return new Handle(session, !existed, (System.nanoTime() - t0) / 1e9);
  }
}
