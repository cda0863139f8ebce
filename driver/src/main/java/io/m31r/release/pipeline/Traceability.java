package io.m31r.release.pipeline;

import io.m31r.release.failure.IntegrityException;
import io.m31r.release.preflight.OneLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Traceability (section 14): what the checkpoint says it was trained on must be what was frozen. A
 * checkpoint may record none, some or all of these; each one it records is checked.
 */
public final class Traceability {
  public static final String DATASET = "dataset_sha256";
  public static final String TOKENIZER = "tokenizer_sha256";
  public static final String CONFIG = "config_sha256";
  public static final String SEED = "seed";

  private Traceability() {}

  /**
   * @param recorded the checkpoint's safetensors {@code __metadata__}; other keys are ignored
   * @return the keys that were recorded and checked, in the order dataset, tokenizer, config, seed
   */
  public static List<String> check(Map<String, String> recorded, FrozenInputs frozen) {
    Objects.requireNonNull(recorded, "recorded");
    Objects.requireNonNull(frozen, "frozen");
    List<String> checked = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    digest(recorded, DATASET, "on dataset", "dataset", frozen.datasetSha256(), checked, mismatches);
    digest(recorded, TOKENIZER, "with tokenizer", "tokenizer", frozen.tokenizerSha256(), checked, mismatches);
    digest(recorded, CONFIG, "with config", "config", frozen.configSha256(), checked, mismatches);
    String seed = recorded.get(SEED);
    if (seed != null) {
      checked.add(SEED);
      if (!sameSeed(seed, frozen.seed())) {
        mismatches.add(
            "__metadata__." + SEED + ": checkpoint was trained with seed " + OneLine.clip(seed)
                + " but the frozen config's seed is " + frozen.seed());
      }
    }
    if (!mismatches.isEmpty()) {
      throw new IntegrityException("checkpoint traceability: " + String.join("; ", mismatches));
    }
    return List.copyOf(checked);
  }

  private static void digest(
      Map<String, String> recorded, String key, String how, String what, String frozen,
      List<String> checked, List<String> mismatches) {
    String value = recorded.get(key);
    if (value == null) {
      return;
    }
    checked.add(key);
    // Hex case carries no information, so upper-case digests from other tools still match.
    if (!value.trim().toLowerCase(Locale.ROOT).equals(frozen)) {
      mismatches.add(
          "__metadata__." + key + ": checkpoint was trained " + how + " " + OneLine.clip(value)
              + " but the frozen " + what + " is " + frozen);
    }
  }

  private static boolean sameSeed(String recorded, long frozen) {
    try {
      return Long.parseLong(recorded.trim()) == frozen;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
