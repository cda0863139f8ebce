package io.m31r.release.model.training;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.model.config.InvalidModelConfigException;
import io.m31r.release.model.config.ModelConfigReader;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads {@code global.seed} and the {@code train:} section of a config.yaml in upstream's unified
 * format. Keys upstream writes but this trainer cannot honour differently from its defaults
 * (accumulation, precision) must hold those defaults, so a config never silently trains
 * something other than it says.
 */
public final class TrainingConfigReader {
  private static final Set<String> KEYS =
      Set.of(
          "config_version", "batch_size", "gradient_accumulation_steps", "max_steps", "learning_rate",
          "min_learning_rate", "weight_decay", "beta1", "beta2", "grad_clip", "warmup_steps",
          "precision", "checkpoint_interval", "log_interval", "dataset_directory",
          "tokenizer_directory", "threads");

  private TrainingConfigReader() {}

  public static TrainingConfig parse(String yaml, String file) {
    JsonNode root = ModelConfigReader.readTree(yaml, file);
    if (root == null || !root.isObject()) {
      throw new InvalidModelConfigException(file + " is not a YAML mapping");
    }
    JsonNode global = section(root, "global", file);
    JsonNode train = section(root, "train", file);
    Iterator<String> names = train.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!KEYS.contains(name)) {
        throw new InvalidModelConfigException(file + " train." + name + " is not a known key");
      }
    }
    JsonNode seed = global.get("seed");
    if (seed == null || !seed.isIntegralNumber() || !seed.canConvertToLong()) {
      throw new InvalidModelConfigException(file + " global.seed must be an integer: " + seed);
    }
    if (train.has("gradient_accumulation_steps")
        && ModelConfigReader.integer(file, "train", train, "gradient_accumulation_steps") != 1) {
      throw new BadInputException(file + " train.gradient_accumulation_steps: only 1 is supported by this trainer");
    }
    if (train.has("precision") && !"fp32".equals(train.get("precision").asText())) {
      throw new BadInputException(file + " train.precision: only \"fp32\" is supported by this trainer");
    }
    return new TrainingConfig(
        seed.longValue(),
        ModelConfigReader.integer(file, "train", train, "batch_size"),
        ModelConfigReader.integer(file, "train", train, "max_steps"),
        ModelConfigReader.number(file, "train", train, "learning_rate"),
        ModelConfigReader.number(file, "train", train, "min_learning_rate"),
        ModelConfigReader.number(file, "train", train, "weight_decay"),
        ModelConfigReader.number(file, "train", train, "beta1"),
        ModelConfigReader.number(file, "train", train, "beta2"),
        ModelConfigReader.number(file, "train", train, "grad_clip"),
        ModelConfigReader.integer(file, "train", train, "warmup_steps"),
        train.has("threads") ? ModelConfigReader.integer(file, "train", train, "threads") : 1,
        text(file, train, "dataset_directory"),
        text(file, train, "tokenizer_directory"));
  }

  private static JsonNode section(JsonNode root, String name, String file) {
    JsonNode node = root.get(name);
    if (node == null || !node.isObject()) {
      throw new InvalidModelConfigException(file + " has no '" + name + ":' section");
    }
    return node;
  }

  private static String text(String file, JsonNode train, String key) {
    JsonNode v = train.get(key);
    if (v == null || !v.isTextual()) {
      throw new InvalidModelConfigException(file + " train." + key + " must be a string: " + v);
    }
    return v.textValue();
  }
}
