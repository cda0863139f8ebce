package io.m31r.release.spark;

import io.m31r.release.failure.InfrastructureException;
import java.util.function.Supplier;

/** Runs a Spark action and maps a failed job to the exit-code contract. */
public final class SparkJobs {
  private SparkJobs() {}

  /**
   * A job that failed after Spark's task retries is an infrastructure failure (exit 1). Our own
   * exceptions thrown on the driver pass through unchanged. Scala does not declare SparkException,
   * so Java cannot catch it by name.
   */
  public static <T> T run(String stage, Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      if (!e.getClass().getName().startsWith("org.apache.spark")) {
        throw e;
      }
      throw new InfrastructureException(stage + ": the Spark job failed: " + firstLine(e), e);
    } catch (Exception e) {
      throw new InfrastructureException(stage + ": the Spark job failed: " + firstLine(e), e);
    }
  }

  private static String firstLine(Throwable e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
  }
}
