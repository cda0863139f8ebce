package io.m31r.release.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON form every artifact we hash is written in: UTF-8, keys sorted at every depth,
 * two-space indent, {@code "key": value}, LF line ends and a final newline. Same tree, same bytes.
 */
public final class CanonicalJson {
  // Not StrictMappers.json(): what we read back here (metadata.json, provenance) must re-render to
  // the same bytes, so it is read with the writer's exact-decimal nodes, and refuses unknown record
  // properties; duplicate keys and trailing tokens are refused as StrictMappers refuses them.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private static final DefaultPrettyPrinter PRINTER =
      new DefaultPrettyPrinter()
          .withSeparators(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator(""));

  static {
    DefaultIndenter lf = new DefaultIndenter("  ", "\n");
    PRINTER.indentObjectsWith(lf);
    PRINTER.indentArraysWith(lf);
  }

  private CanonicalJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] bytes(Object value) {
    try {
      JsonNode tree = MAPPER.valueToTree(value);
      String text = MAPPER.writer(PRINTER).writeValueAsString(sortKeys(tree));
      return (text + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String string(Object value) {
    return new String(bytes(value), StandardCharsets.UTF_8);
  }

  /** Object nodes keep insertion order; rebuild them sorted so that trees sort like maps do. */
  private static JsonNode sortKeys(JsonNode node) {
    if (node.isObject()) {
      var sorted = MAPPER.createObjectNode();
      var names = new java.util.ArrayList<String>();
      node.fieldNames().forEachRemaining(names::add);
      java.util.Collections.sort(names);
      for (String name : names) {
        sorted.set(name, sortKeys(node.get(name)));
      }
      return sorted;
    }
    if (node.isArray()) {
      var array = MAPPER.createArrayNode();
      node.forEach(child -> array.add(sortKeys(child)));
      return array;
    }
    return node;
  }
}
