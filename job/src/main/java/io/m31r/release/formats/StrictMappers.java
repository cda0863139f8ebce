package io.m31r.release.formats;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one place that says how we read JSON and YAML we did not write: a duplicate key is refused
 * (Jackson would keep the last one silently, so two readers could disagree on one file), and so is
 * anything after the document. Records bound from YAML are also type-strict: unknown keys, nulls
 * for primitives and scalar coercions ({@code "4"} for 4) are refused. Hashed JSON we write goes
 * through {@code json/CanonicalJson} instead.
 */
public final class StrictMappers {
  private StrictMappers() {}

  /** For JSON trees read from inputs (safetensors headers, tokenizers, suites). */
  public static ObjectMapper json() {
    return JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  /** For YAML trees read from inputs; pair it with {@link YamlAliases}, which Jackson does not resolve. */
  public static YAMLMapper yaml() {
    return YAMLMapper.builder(yamlFactory()).build();
  }

  /** For YAML bound to records ({@code release.yaml}): the schema's types are the file's types. */
  public static YAMLMapper yamlBinding() {
    return typeStrict(YAMLMapper.builder(yamlFactory()));
  }

  /**
   * For JSON trees we wrote and read back into records ({@code metadata.json}, manifests): as
   * {@link #yamlBinding()}, and with the exact-decimal nodes {@code json/CanonicalJson} writes, so
   * a JSON value held in a record re-renders to the bytes it was read from.
   */
  public static JsonMapper jsonBinding() {
    return typeStrict(
        JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)));
  }

  /**
   * The keys of {@code node} that {@code type}'s schema does not name, in document order. Jackson
   * binds a record's known keys first and reports a missing one before any unknown one; a file of
   * another kind is better named by a key it has than by one it lacks.
   */
  public static List<String> unknownKeys(ObjectMapper mapper, JsonNode node, Class<?> type) {
    Set<String> known = new HashSet<>();
    for (BeanPropertyDefinition p :
        mapper.getDeserializationConfig().introspect(mapper.constructType(type)).findProperties()) {
      known.add(p.getName());
    }
    List<String> unknown = new ArrayList<>();
    node.fieldNames().forEachRemaining(k -> {
      if (!known.contains(k)) {
        unknown.add(k);
      }
    });
    return unknown;
  }

  private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> M typeStrict(B builder) {
    M m =
        builder
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    // A quoted "4" must not become the number 4, nor 4 the string "4": types are part of the schema.
    m.coercionConfigDefaults()
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(String.class).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
    // A whole number where a real is expected (max_ms_per_token: 50) loses nothing.
    m.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
    return m;
  }

  private static YAMLFactory yamlFactory() {
    return YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  }
}
