package io.m31r.release.packaging;

import io.m31r.release.failure.IntegrityException;
import java.util.List;

/** Every problem found in one release directory; empty means the release is intact. */
public record VerifyReport(List<String> problems) {
  public VerifyReport {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }

  /** Throws an {@link IntegrityException} listing every problem on one line. */
  public void requireValid() {
    if (!ok()) {
      throw new IntegrityException(
          "release failed verification (" + problems.size() + (problems.size() == 1 ? " problem): " : " problems): ")
              + String.join("; ", problems));
    }
  }
}
