package io.m31r.release.pipeline;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.packaging.ReleaseType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A type C patch fixes a critical bug or a packaging mistake and allows no retraining (section 22):
 * it must ship exactly the previous release's model, tokenizer and dataset.
 */
public final class PatchRule {
  private PatchRule() {}

  /**
   * Does nothing for types other than C.
   *
   * @param previous the release being patched, empty when nothing is published yet
   */
  public static void check(ReleaseType type, Optional<ReleaseFingerprint> previous, ReleaseFingerprint candidate) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(candidate, "candidate");
    if (type != ReleaseType.C) {
      return;
    }
    if (previous.isEmpty()) {
      throw new BadInputException(
          "type C patch release needs a previous release to patch, and none is published; use type A for a first release");
    }
    ReleaseFingerprint before = previous.get();
    List<String> changed = new ArrayList<>();
    compare(changed, "model_hash", before.modelHash(), candidate.modelHash());
    compare(changed, "tokenizer_version", before.tokenizerVersion(), candidate.tokenizerVersion());
    compare(changed, "dataset_version", before.datasetVersion(), candidate.datasetVersion());
    if (!changed.isEmpty()) {
      throw new GateFailedException(
          "type C patch release must not change the model/tokenizer/dataset: " + String.join("; ", changed));
    }
  }

  private static void compare(List<String> changed, String field, String before, String now) {
    if (!before.equals(now)) {
      changed.add(field + " previous " + before + ", candidate " + now);
    }
  }
}
