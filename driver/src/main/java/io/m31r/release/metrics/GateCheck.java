package io.m31r.release.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One gate's verdict, as report.json lists it.
 *
 * @param gate {@code target} or {@code regression}
 * @param limit the target, or the baseline value the candidate was compared with
 * @param candidate this run's value; null when not measured
 * @param outcome {@code passed}, {@code blocked} or {@code not_measured}
 */
public record GateCheck(
    @JsonProperty("gate") String gate,
    @JsonProperty("metric") String metric,
    @JsonProperty("limit") Double limit,
    @JsonProperty("candidate") Double candidate,
    @JsonProperty("outcome") String outcome,
    @JsonProperty("message") String message) {

  public static final String PASSED = "passed";
  public static final String BLOCKED = "blocked";
  public static final String NOT_MEASURED = "not_measured";

  public boolean blocked() {
    return BLOCKED.equals(outcome);
  }
}
