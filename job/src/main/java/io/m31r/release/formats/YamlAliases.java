package io.m31r.release.formats;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.Optional;

/**
 * Finds the first YAML anchor or alias in a document. Jackson does not resolve them: an alias
 * would be read as its anchor's name, silently, as a plain string, so every YAML input refuses them.
 * Each caller words the refusal for its file.
 */
public final class YamlAliases {
  /**
   * @param alias true for an alias ({@code *name}), false for an anchor ({@code &name})
   * @param keyPath the dotted key path where it stands, or {@code (top level)}
   * @param line its 1-based line
   */
  public record Use(boolean alias, String keyPath, int line) {}

  private YamlAliases() {}

  /**
   * The first anchor or alias, or empty when there is none.
   *
   * @throws IOException when the document is not YAML (a {@code JsonProcessingException}) or cannot be read
   */
  public static Optional<Use> first(ObjectMapper yaml, byte[] document) throws IOException {
    try (JsonParser p = yaml.getFactory().createParser(document)) {
      YAMLParser yp = (YAMLParser) p;
      JsonToken t;
      while ((t = yp.nextToken()) != null) {
        if (yp.isCurrentAlias()) {
          return Optional.of(new Use(true, keyPath(yp), yp.currentLocation().getLineNr()));
        }
        // Anchors are judged on values, not on the key before them; an alias is refused anywhere.
        if (t != JsonToken.FIELD_NAME && yp.getObjectId() != null) {
          return Optional.of(new Use(false, keyPath(yp), yp.currentLocation().getLineNr()));
        }
      }
    }
    return Optional.empty();
  }

  private static String keyPath(JsonParser p) {
    String pointer = p.getParsingContext().pathAsPointer().toString();
    return pointer.isEmpty() ? "(top level)" : pointer.substring(1).replace('/', '.');
  }
}
