package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.packaging.ReleaseType;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PatchRuleTest {
  private static final String H1 = "a".repeat(64);
  private static final String H2 = "b".repeat(64);
  private static final ReleaseFingerprint PREVIOUS = new ReleaseFingerprint(H1, "tok-1", "ds-2026-01");

  @Test
  void aPatchShippingTheSameModelTokenizerAndDatasetPasses() {
    assertDoesNotThrow(
        () -> PatchRule.check(ReleaseType.C, Optional.of(PREVIOUS), new ReleaseFingerprint(H1, "tok-1", "ds-2026-01")));
  }

  @Test
  void aPatchChangingTheModelIsBlockedNamingBothHashes() {
    GateFailedException e =
        assertThrows(
            GateFailedException.class,
            () -> PatchRule.check(ReleaseType.C, Optional.of(PREVIOUS), new ReleaseFingerprint(H2, "tok-1", "ds-2026-01")));
    assertEquals(ExitCode.GATE_BLOCKED, e.exitCode());
    assertEquals(
        "type C patch release must not change the model/tokenizer/dataset: model_hash previous " + H1 + ", candidate " + H2,
        e.getMessage());
  }

  @Test
  void everyChangedInputIsNamed() {
    GateFailedException e =
        assertThrows(
            GateFailedException.class,
            () -> PatchRule.check(ReleaseType.C, Optional.of(PREVIOUS), new ReleaseFingerprint(H1, "tok-2", "ds-2026-02")));
    assertEquals(
        "type C patch release must not change the model/tokenizer/dataset: tokenizer_version previous tok-1, candidate tok-2;"
            + " dataset_version previous ds-2026-01, candidate ds-2026-02",
        e.getMessage());
  }

  @Test
  void aPatchWithNothingToPatchIsRefused() {
    BadInputException e =
        assertThrows(BadInputException.class, () -> PatchRule.check(ReleaseType.C, Optional.empty(), PREVIOUS));
    assertEquals(
        "type C patch release needs a previous release to patch, and none is published; use type A for a first release",
        e.getMessage());
  }

  @Test
  void otherTypesMayRetrain() {
    ReleaseFingerprint retrained = new ReleaseFingerprint(H2, "tok-2", "ds-2026-02");
    for (ReleaseType t : new ReleaseType[] {ReleaseType.A, ReleaseType.B, ReleaseType.D}) {
      assertDoesNotThrow(() -> PatchRule.check(t, Optional.of(PREVIOUS), retrained));
      assertDoesNotThrow(() -> PatchRule.check(t, Optional.empty(), retrained));
    }
  }

  @Test
  void aFingerprintNeedsEveryField() {
    BadInputException e = assertThrows(BadInputException.class, () -> new ReleaseFingerprint(H1, " ", "ds"));
    assertEquals("release fingerprint tokenizer_version: missing or empty", e.getMessage());
  }
}
