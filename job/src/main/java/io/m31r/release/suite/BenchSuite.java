package io.m31r.release.suite;

import java.io.Serializable;
import java.util.List;

/**
 * A loaded, validated suite.
 *
 * @param format which of the two formats it was read from
 * @param digest the suite digest (see {@link SuiteDigest}); reports are only comparable when equal
 * @param tasks in id order
 */
public record BenchSuite(Format format, String digest, List<BenchTask> tasks) implements Serializable {
  public enum Format {
    M31R_DIRECTORY,
    MULTIPL_E_JSONL
  }

  public BenchSuite {
    tasks = List.copyOf(tasks);
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("a suite has at least one task");
    }
  }

  public BenchTask task(String id) {
    for (BenchTask t : tasks) {
      if (t.id().equals(id)) {
        return t;
      }
    }
    return null;
  }
}
