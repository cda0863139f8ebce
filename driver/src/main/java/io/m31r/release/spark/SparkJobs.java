package io.m31r.release.spark;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.ReleaseException;
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
      ReleaseException verdict = deterministicCause(e);
      if (verdict != null) {
        // A task that failed on bad input or a broken model failed the same way on every retry.
        throw verdict;
      }
      throw new InfrastructureException(stage + ": the Spark job failed: " + firstLine(e), e);
    } catch (Exception e) {
      ReleaseException verdict = deterministicCause(e);
      if (verdict != null) {
        throw verdict;
      }
      throw new InfrastructureException(stage + ": the Spark job failed: " + firstLine(e), e);
    }
  }

  /** Our own failure from an executor that a retry cannot cure (any exit code but 1), if any. */
  private static ReleaseException deterministicCause(Throwable e) {
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c instanceof ReleaseException re && !(re instanceof InfrastructureException)) {
        return re;
      }
    }
    return null;
  }

  private static String firstLine(Throwable e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
  }
}
