package io.m31r.release.model.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.formats.StrictMappers;
import io.m31r.release.formats.YamlAliases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@link ModelConfig} from the {@code model:} section of a bundle's {@code config.yaml}. The
 * rest of the file (training, runtime settings) is not the runtime's business and is ignored.
 */
public final class ModelConfigReader {
  static final List<String> KEYS =
      List.of(
          "n_layers", "hidden_size", "n_heads", "head_dim", "context_length", "dropout",
          "norm_eps", "rope_theta", "init_std", "vocab_size", "config_version");

  // PyYAML (upstream's reader) leaves "1e-6" a string, so upstream code turns such strings into
  // floats itself; accept the same plain decimal spellings, and nothing looser.
  private static final Pattern DECIMAL =
      Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

  private static final ObjectMapper YAML = StrictMappers.yaml();

  private ModelConfigReader() {}

  public static ModelConfig read(Path configYaml) {
    String text;
    try {
      text = Files.readString(configYaml);
    } catch (NoSuchFileException e) {
      throw new InvalidModelConfigException("no config.yaml at " + configYaml, e);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + configYaml + ": " + e.getMessage(), e);
    }
    return parse(text, String.valueOf(configYaml.getFileName()));
  }

  public static ModelConfig parse(String yaml, String file) {
    JsonNode root = readTree(yaml, file);
    if (root == null || !root.isObject() || !root.has("model")) {
      throw new InvalidModelConfigException(file + " has no 'model:' section");
    }
    JsonNode model = root.get("model");
    if (!model.isObject()) {
      throw new InvalidModelConfigException(file + " 'model:' is not a mapping");
    }
    Set<String> known = Set.copyOf(KEYS);
    Iterator<String> names = model.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new InvalidModelConfigException(file + " model." + name + " is not a known key");
      }
    }
    for (String key : KEYS) {
      if (!model.has(key) || model.get(key).isNull()) {
        throw new InvalidModelConfigException(file + " model." + key + " is missing");
      }
    }
    JsonNode version = model.get("config_version");
    if (!version.isTextual()) {
      throw new InvalidModelConfigException(file + " model.config_version must be a string");
    }
    return new ModelConfig(
        integer(file, "model", model, "n_layers"),
        integer(file, "model", model, "hidden_size"),
        integer(file, "model", model, "n_heads"),
        integer(file, "model", model, "head_dim"),
        integer(file, "model", model, "context_length"),
        number(file, "model", model, "dropout"),
        number(file, "model", model, "norm_eps"),
        number(file, "model", model, "rope_theta"),
        number(file, "model", model, "init_std"),
        integer(file, "model", model, "vocab_size"),
        version.textValue());
  }

  /**
   * The whole document, read strictly (duplicate keys, anchors and aliases refused), for readers of
   * the other sections of the same file.
   */
  public static JsonNode readTree(String yaml, String file) {
    rejectAnchorsAndAliases(yaml, file);
    try {
      return YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new InvalidModelConfigException(
          file + " is not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " "), e);
    }
  }

  /** Jackson's YAML reader does not resolve anchors or aliases, so a file using them is refused. */
  private static void rejectAnchorsAndAliases(String yaml, String file) {
    Optional<YamlAliases.Use> use;
    try {
      use = YamlAliases.first(YAML, yaml.getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new InvalidModelConfigException(
          file + " is not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " "), e);
    } catch (IOException e) {
      throw new InfrastructureException("cannot parse " + file + ": " + e.getMessage(), e);
    }
    use.ifPresent(u -> {
      throw new InvalidModelConfigException(
          file + " uses a YAML anchor or alias near line " + u.line() + "; write the values out");
    });
  }

  /** {@code section.key} of {@code node} as an int; the key must be present. */
  public static int integer(String file, String section, JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new InvalidModelConfigException(file + " " + section + "." + key + " must be an integer: " + v);
    }
    return v.intValue();
  }

  /** {@code section.key} as a number, also in the string spellings upstream's PyYAML leaves. */
  public static double number(String file, String section, JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v != null && v.isNumber()) {
      return v.doubleValue();
    }
    if (v != null && v.isTextual() && DECIMAL.matcher(v.textValue().trim()).matches()) {
      return Double.parseDouble(v.textValue().trim());
    }
    throw new InvalidModelConfigException(file + " " + section + "." + key + " must be a number: " + v);
  }
}
