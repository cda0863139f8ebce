package io.m31r.release.signing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Renders an in-toto statement the way model_signing's payloads look: keys in insertion order,
 * two-space indent, {@code "key": value}, non-ASCII escaped, no final newline (Python's
 * {@code json.dumps(indent=2)} layout, which protobuf's {@code MessageToJson} also produces).
 * Verifiers parse the JSON, so only reproducibility depends on this layout.
 */
final class StatementJson {
  private StatementJson() {}

  static byte[] render(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out, 0);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(JsonNode n, StringBuilder out, int depth) {
    if (n.isObject()) {
      if (n.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append("{\n");
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        indent(out, depth + 1);
        quote(e.getKey(), out);
        out.append(": ");
        write(e.getValue(), out, depth + 1);
        out.append(it.hasNext() ? ",\n" : "\n");
      }
      indent(out, depth);
      out.append('}');
    } else if (n.isArray()) {
      if (n.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append("[\n");
      for (int i = 0; i < n.size(); i++) {
        indent(out, depth + 1);
        write(n.get(i), out, depth + 1);
        out.append(i + 1 < n.size() ? ",\n" : "\n");
      }
      indent(out, depth);
      out.append(']');
    } else if (n.isTextual()) {
      quote(n.textValue(), out);
    } else if (n.isBoolean() || n.isIntegralNumber() || n.isNull()) {
      out.append(n.asText());
    } else {
      throw new IllegalArgumentException("statements hold strings, integers and booleans only, not " + n.getNodeType());
    }
  }

  private static void indent(StringBuilder out, int depth) {
    out.append("  ".repeat(depth));
  }

  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
