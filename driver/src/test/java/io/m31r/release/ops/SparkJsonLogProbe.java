package io.m31r.release.ops;

import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Started in a child JVM by {@link Log4jJsonConfigTest}: runs one small Spark job, so that Spark's
 * own start-up and job lines are logged, then logs a multi-line message and an exception the way
 * Spark code does (SLF4J).
 */
public final class SparkJsonLogProbe {
  private SparkJsonLogProbe() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder()
        .master("local[1]")
        .appName("json-log-probe")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    try {
      long n = spark.range(10).count();
      Logger log = LoggerFactory.getLogger("io.m31r.probe");
      log.info("counted {}\nsecond line \"quoted\"", n);
      log.error("probe failure", new IllegalStateException("probe cause"));
    } finally {
      spark.stop();
    }
  }
}
