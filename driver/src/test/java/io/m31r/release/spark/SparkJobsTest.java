package io.m31r.release.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.ReleaseException;
import io.m31r.release.model.runtime.NonFiniteLogitsException;
import io.m31r.release.testing.TestSpark;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** A task's own failure keeps its exit code through Spark; only Spark's own failures become exit 1. */
class SparkJobsTest {
  @Test
  void aBrokenModelOnAnExecutorIsBadInputNotARetry() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
    ReleaseException e = assertThrows(ReleaseException.class, () -> SparkJobs.run("bench", () ->
        jsc.parallelize(List.of(1), 1).map(i -> {
          throw new NonFiniteLogitsException("the model produced a NaN logit (token 0): its weights are unusable");
        }).collect()));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode(), e.getMessage());
    assertEquals(NonFiniteLogitsException.class, e.getClass());

    ReleaseException infra = assertThrows(ReleaseException.class, () -> SparkJobs.run("bench", () ->
        jsc.parallelize(List.of(1), 1).map(i -> {
          throw new IllegalStateException("disk gone");
        }).collect()));
    assertEquals(InfrastructureException.class, infra.getClass());
  }
}
