package io.m31r.release.report;

/**
 * Benchmark results of one task category, with the previous release's results for the same
 * category when there was one.
 *
 * @param previousCompileRate null when the previous release did not measure this category
 * @param previousPassAt1 null exactly when {@code previousCompileRate} is null
 */
public record CategoryMetrics(
    String category, int tasks, double compileRate, double passAt1, Double previousCompileRate, Double previousPassAt1) {

  public CategoryMetrics {
    Checks.nonBlank(category, "category name");
    String field = "category '" + category + "': ";
    if (tasks < 1) {
      throw new InvalidReportException(field + "tasks: must be at least 1, got " + tasks);
    }
    Checks.rate(compileRate, field + "compile_rate");
    Checks.rate(passAt1, field + "pass_at_1");
    if ((previousCompileRate == null) != (previousPassAt1 == null)) {
      throw new InvalidReportException(
          field + "previous compile_rate and pass_at_1: give both or neither");
    }
    if (previousCompileRate != null) {
      Checks.rate(previousCompileRate, field + "previous compile_rate");
      Checks.rate(previousPassAt1, field + "previous pass_at_1");
    }
  }

  /** Results of a category the previous release did not measure. */
  public static CategoryMetrics current(String category, int tasks, double compileRate, double passAt1) {
    return new CategoryMetrics(category, tasks, compileRate, passAt1, null, null);
  }

  public boolean hasPrevious() {
    return previousCompileRate != null;
  }
}
