package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.IntegrityException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceabilityTest {
  private static final String DS = "1".repeat(64);
  private static final String TOK = "2".repeat(64);
  private static final String CFG = "3".repeat(64);
  private static final String OTHER = "e".repeat(64);
  private static final FrozenInputs FROZEN = new FrozenInputs(DS, TOK, CFG, 42);

  @Test
  void everyRecordedValueThatMatchesIsReportedAsChecked() {
    Map<String, String> recorded =
        Map.of("dataset_sha256", DS, "tokenizer_sha256", TOK, "config_sha256", CFG, "seed", "42", "format", "pt");
    assertEquals(List.of("dataset_sha256", "tokenizer_sha256", "config_sha256", "seed"), Traceability.check(recorded, FROZEN));
  }

  @Test
  void absentValuesAreNotChecked() {
    assertEquals(List.of(), Traceability.check(Map.of(), FROZEN));
    assertEquals(List.of("seed"), Traceability.check(Map.of("seed", " 42 "), FROZEN));
    assertEquals(
        List.of("tokenizer_sha256"),
        Traceability.check(Map.of("tokenizer_sha256", TOK.toUpperCase(Locale.ROOT)), FROZEN));
  }

  @Test
  void aCheckpointTrainedOnAnotherDatasetIsAnIntegrityFailure() {
    IntegrityException e =
        assertThrows(
            IntegrityException.class,
            () -> Traceability.check(Map.of("dataset_sha256", OTHER, "tokenizer_sha256", TOK), FROZEN));
    assertEquals(ExitCode.INTEGRITY, e.exitCode());
    assertEquals(
        "checkpoint traceability: __metadata__.dataset_sha256: checkpoint was trained on dataset " + OTHER
            + " but the frozen dataset is " + DS,
        e.getMessage());
  }

  @Test
  void everyMismatchIsNamedInOneLine() {
    IntegrityException e =
        assertThrows(
            IntegrityException.class,
            () -> Traceability.check(
                Map.of("tokenizer_sha256", OTHER, "config_sha256", OTHER, "seed", "7\n8"), FROZEN));
    assertEquals(
        "checkpoint traceability: __metadata__.tokenizer_sha256: checkpoint was trained with tokenizer " + OTHER
            + " but the frozen tokenizer is " + TOK
            + "; __metadata__.config_sha256: checkpoint was trained with config " + OTHER
            + " but the frozen config is " + CFG
            + "; __metadata__.seed: checkpoint was trained with seed 7 8 but the frozen config's seed is 42",
        e.getMessage());
  }

  @Test
  void frozenDigestsMustBeSha256() {
    BadInputException e = assertThrows(BadInputException.class, () -> new FrozenInputs(DS, "abc", CFG, 1));
    assertEquals("frozen tokenizer_sha256: 'abc' is not a 64-character hex SHA-256 digest", e.getMessage());
  }
}
