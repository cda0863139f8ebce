package io.m31r.release.model.safetensors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.m31r.release.formats.StrictMappers;
import io.m31r.release.formats.StrictUtf8;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed and fully checked JSON header: every tensor entry valid on its own, and together the
 * entries tile the data section exactly (from 0, no gap, no overlap, nothing after the last).
 */
public final class SafetensorsHeader {
  static final String METADATA_KEY = "__metadata__";
  private static final Set<String> ENTRY_FIELDS = Set.of("dtype", "shape", "data_offsets");

  private static final ObjectMapper JSON =
      StrictMappers.json();

  private final Map<String, String> metadata;
  private final Map<String, TensorEntry> tensors;

  private SafetensorsHeader(Map<String, String> metadata, Map<String, TensorEntry> tensors) {
    this.metadata = Collections.unmodifiableMap(metadata);
    this.tensors = Collections.unmodifiableMap(tensors);
  }

  /** The {@code __metadata__} map, empty when the file has none. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Entries in data-offset order. */
  public Map<String, TensorEntry> tensors() {
    return tensors;
  }

  public Optional<TensorEntry> tensor(String name) {
    return Optional.ofNullable(tensors.get(name));
  }

  /**
   * @param file the file's name, for messages
   * @param headerBytes exactly the N header bytes
   * @param dataLength bytes in the file after the header
   */
  static SafetensorsHeader parse(String file, byte[] headerBytes, long dataLength) {
    JsonNode root = parseJson(file, headerBytes);
    if (!root.isObject()) {
      throw new MalformedSafetensorsException(file, "header is not a JSON object");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    List<TensorEntry> entries = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().equals(METADATA_KEY)) {
        readMetadata(file, field.getValue(), metadata);
      } else {
        entries.add(readEntry(file, field.getKey(), field.getValue(), dataLength));
      }
    }
    checkTiling(file, entries, dataLength);
    Map<String, TensorEntry> ordered = new LinkedHashMap<>();
    for (TensorEntry e : entries) {
      ordered.put(e.name(), e);
    }
    return new SafetensorsHeader(metadata, ordered);
  }

  private static JsonNode parseJson(String file, byte[] headerBytes) {
    String text = StrictUtf8.decode(headerBytes)
        .orElseThrow(() -> new MalformedSafetensorsException(file, "header is not valid UTF-8"));
    try {
      JsonNode root = JSON.readTree(text);
      if (root == null || root.isMissingNode()) {
        throw new MalformedSafetensorsException(file, "header is empty, not JSON");
      }
      return root;
    } catch (JsonParseException e) {
      String why = e.getOriginalMessage();
      if (why != null && why.startsWith("Duplicate field")) {
        throw new MalformedSafetensorsException(file, "header has a duplicate key: " + oneLine(why), e);
      }
      throw new MalformedSafetensorsException(file, "header is not valid JSON: " + oneLine(why), e);
    } catch (JsonProcessingException e) {
      throw new MalformedSafetensorsException(
          file, "header is not valid JSON: " + oneLine(e.getOriginalMessage()), e);
    }
  }

  private static void readMetadata(String file, JsonNode node, Map<String, String> out) {
    if (!node.isObject()) {
      throw new MalformedSafetensorsException(file, "__metadata__ is not an object");
    }
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new MalformedSafetensorsException(
            file, "__metadata__ value for '" + e.getKey() + "' is not a string");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
  }

  private static TensorEntry readEntry(String file, String name, JsonNode node, long dataLength) {
    String where = "tensor '" + name + "'";
    if (!node.isObject()) {
      throw new MalformedSafetensorsException(file, where + " is not an object");
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String field = names.next();
      if (!ENTRY_FIELDS.contains(field)) {
        throw new MalformedSafetensorsException(file, where + " has an unknown field '" + field + "'");
      }
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new MalformedSafetensorsException(file, where + " has no dtype string");
    }
    SafetensorsDtype dtype =
        SafetensorsDtype.parse(dtypeNode.textValue())
            .orElseThrow(
                () ->
                    new MalformedSafetensorsException(
                        file,
                        where + " has unsupported dtype '" + dtypeNode.textValue() + "' (F32, F16, BF16 accepted)"));
    List<Long> shape = readLongs(file, where, "shape", node.get("shape"), -1);
    List<Long> offsets = readLongs(file, where, "data_offsets", node.get("data_offsets"), 2);
    long begin = offsets.get(0);
    long end = offsets.get(1);
    if (end < begin) {
      throw new MalformedSafetensorsException(
          file, where + " data_offsets [" + begin + ", " + end + "] end before they begin");
    }
    if (end > dataLength) {
      throw new MalformedSafetensorsException(
          file,
          where + " data_offsets [" + begin + ", " + end + "] are out of bounds of the "
              + dataLength + "-byte data section");
    }
    long expected;
    try {
      expected = Math.multiplyExact(TensorEntry.elementCount(shape), (long) dtype.bytes());
    } catch (ArithmeticException e) {
      throw new MalformedSafetensorsException(file, where + " shape " + shape + " overflows", e);
    }
    if (expected != end - begin) {
      throw new MalformedSafetensorsException(
          file,
          where + " holds " + (end - begin) + " bytes but shape " + shape + " x " + dtype
              + " needs " + expected);
    }
    return new TensorEntry(name, dtype, shape, begin, end);
  }

  private static List<Long> readLongs(String file, String where, String field, JsonNode node, int size) {
    if (node == null || !node.isArray()) {
      throw new MalformedSafetensorsException(file, where + " has no " + field + " array");
    }
    if (size >= 0 && node.size() != size) {
      throw new MalformedSafetensorsException(
          file, where + " " + field + " has " + node.size() + " elements, not " + size);
    }
    List<Long> out = new ArrayList<>(node.size());
    for (JsonNode v : node) {
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
        throw new MalformedSafetensorsException(
            file, where + " " + field + " holds " + v + ", not a non-negative integer");
      }
      out.add(v.longValue());
    }
    return out;
  }

  private static void checkTiling(String file, List<TensorEntry> entries, long dataLength) {
    entries.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
    long position = 0;
    String previous = null;
    for (TensorEntry e : entries) {
      if (e.begin() < position) {
        throw new MalformedSafetensorsException(
            file,
            "tensor '" + e.name() + "' [" + e.begin() + ", " + e.end() + "] overlaps tensor '"
                + previous + "' (which ends at " + position + ")");
      }
      if (e.begin() > position) {
        throw new MalformedSafetensorsException(
            file,
            "gap of " + (e.begin() - position) + " bytes before tensor '" + e.name() + "' (at "
                + position + ")");
      }
      position = e.end();
      previous = e.name();
    }
    if (position != dataLength) {
      throw new MalformedSafetensorsException(
          file,
          (dataLength - position) + " bytes after the last tensor"
              + (previous == null ? "" : " '" + previous + "'")
              + " (data section is " + dataLength + " bytes)");
    }
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }
}
