package io.m31r.release.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.sandbox.SampleStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Each task's outcome in one benchmark run: passed when at least one of its samples passed its
 * tests (with the release benchmark's greedy decoding and one sample, that sample's outcome), and
 * the flips between two runs. Aggregates hide a task that broke while another one was fixed; the
 * flips name both.
 */
public final class TaskOutcomes {
  public static final String PASSED = "passed";
  public static final String FAILED = "failed";

  private final SortedMap<String, Boolean> passed;

  private TaskOutcomes(SortedMap<String, Boolean> passed) {
    this.passed = Collections.unmodifiableSortedMap(new TreeMap<>(passed));
  }

  public static TaskOutcomes of(List<EvaluatedSample> samples) {
    SortedMap<String, Boolean> out = new TreeMap<>();
    for (EvaluatedSample s : samples) {
      out.merge(s.taskId(), s.status() == SampleStatus.PASSED, Boolean::logicalOr);
    }
    return new TaskOutcomes(out);
  }

  /**
   * The outcomes recorded as {@code {"task id": "passed" | "failed"}}; {@code where} names the
   * field in errors. Anything else is refused: a record that cannot be read is never guessed at.
   */
  public static TaskOutcomes read(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new BadBaselineException(where + ": must be an object of task id to \"passed\" or \"failed\"");
    }
    SortedMap<String, Boolean> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
      String v = e.getValue().isTextual() ? e.getValue().asText() : "";
      if (!v.equals(PASSED) && !v.equals(FAILED)) {
        throw new BadBaselineException(where + "." + e.getKey() + ": must be \"passed\" or \"failed\", got " + e.getValue());
      }
      out.put(e.getKey(), v.equals(PASSED));
    }
    return new TaskOutcomes(out);
  }

  /** As recorded in metadata.json: task id to {@code passed} or {@code failed}, sorted by id. */
  public SortedMap<String, String> asRecorded() {
    SortedMap<String, String> out = new TreeMap<>();
    passed.forEach((id, ok) -> out.put(id, ok ? PASSED : FAILED));
    return out;
  }

  public SortedMap<String, Boolean> passed() {
    return passed;
  }

  /**
   * What changed from {@code before} to this run, over the tasks both runs have (a baseline on the
   * same suite has them all), each list sorted by task id.
   */
  public Flips since(TaskOutcomes before) {
    List<String> broke = new ArrayList<>();
    List<String> fixed = new ArrayList<>();
    passed.forEach((id, now) -> {
      Boolean then = before.passed.get(id);
      if (then != null && then && !now) {
        broke.add(id);
      } else if (then != null && !then && now) {
        fixed.add(id);
      }
    });
    return new Flips(broke, fixed);
  }

  /** Tasks that passed before and fail now, and tasks that failed before and pass now. */
  public record Flips(List<String> passedToFailed, List<String> failedToPassed) {
    public Flips {
      passedToFailed = List.copyOf(passedToFailed);
      failedToPassed = List.copyOf(failedToPassed);
    }
  }
}
