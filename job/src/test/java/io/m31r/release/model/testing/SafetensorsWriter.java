package io.m31r.release.model.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes safetensors files for tests: well-formed ones from float tensors, or raw header + data. */
public final class SafetensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A tensor to write; values are rounded to the dtype (F32, F16 or BF16). */
  public record Tensor(String name, String dtype, long[] shape, float[] values) {}

  private final List<Tensor> tensors = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  public SafetensorsWriter add(String name, long[] shape, float[] values) {
    return add(name, "F32", shape, values);
  }

  public SafetensorsWriter add(String name, String dtype, long[] shape, float[] values) {
    tensors.add(new Tensor(name, dtype, shape, values));
    return this;
  }

  public SafetensorsWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  public void write(Path file) throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    if (!metadata.isEmpty()) {
      header.put("__metadata__", metadata);
    }
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Tensor t : tensors) {
      byte[] bytes = encode(t.dtype(), t.values());
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", t.dtype());
      entry.put("shape", t.shape());
      entry.put("data_offsets", new long[] {data.size(), data.size() + bytes.length});
      header.put(t.name(), entry);
      data.write(bytes);
    }
    writeRaw(file, JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8), data.toByteArray());
  }

  /** Length field, then exactly these header bytes, then the data bytes. */
  public static void writeRaw(Path file, byte[] header, byte[] data) throws IOException {
    writeRaw(file, header.length, header, data);
  }

  public static void writeRaw(Path file, long declaredLength, byte[] header, byte[] data)
      throws IOException {
    ByteBuffer out = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(declaredLength).put(header).put(data);
    Files.write(file, out.array());
  }

  public static byte[] encode(String dtype, float[] values) {
    int size = dtype.equals("F32") ? 4 : 2;
    ByteBuffer out = ByteBuffer.allocate(values.length * size).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      switch (dtype) {
        case "F32" -> out.putFloat(v);
        case "BF16" -> out.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
        case "F16" -> out.putShort(floatToHalf(v));
        default -> throw new IllegalArgumentException(dtype);
      }
    }
    return out.array();
  }

  /** Truncating float to binary16 for normal-range values; tests only use exactly representable ones. */
  static short floatToHalf(float v) {
    int bits = Float.floatToRawIntBits(v);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
    int mantissa = (bits >>> 13) & 0x3ff;
    if (v == 0f) {
      return (short) sign;
    }
    if (exponent <= 0 || exponent >= 31) {
      throw new IllegalArgumentException("not a normal half: " + v);
    }
    return (short) (sign | (exponent << 10) | mantissa);
  }
}
