package io.m31r.release.testing;

import io.m31r.release.reuse.ReuseArea;
import org.apache.spark.sql.SparkSession;

/**
 * One local SparkSession per test JVM (starting Spark costs seconds), two cores so that work is
 * really split across tasks. Bound to loopback, no UI.
 */
public final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("m31r-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.shuffle.partitions", "2")
              // No reuse of a failed export's work across tests that happen to share inputs; the
              // tests of reuse name their own area.
              .config(ReuseArea.DIR_KEY, "")
              .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
    }
    return session;
  }
}
