package io.m31r.release.spark;

import io.m31r.release.config.ReleaseConfig;
import io.m31r.release.failure.BadInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import scala.Option;

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
    long t0 = System.nanoTime();
    Option<SparkSession> existing = SparkSession.getActiveSession();
    if (existing.isEmpty()) {
      existing = SparkSession.getDefaultSession();
    }
    if (existing.isDefined()) {
      // A running context's Hadoop settings live only in its hadoopConfiguration: the builder
      // would store spark.hadoop.* as session settings (where nothing reads them) and warn.
      // They reach executors because each job ships this configuration. File systems already
      // cached for the same scheme and authority keep the settings they were created with.
      SparkSession session = existing.get();
      Configuration hadoop = session.sparkContext().hadoopConfiguration();
      config.hadoop().forEach(hadoop::set);
      return new Handle(session, false, (System.nanoTime() - t0) / 1e9);
    }
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
    return new Handle(session, true, (System.nanoTime() - t0) / 1e9);
  }
}
