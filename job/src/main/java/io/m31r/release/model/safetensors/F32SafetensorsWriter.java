package io.m31r.release.model.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.m31r.release.formats.StrictMappers;
import io.m31r.release.failure.InfrastructureException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes an F32 safetensors file whose bytes depend only on its content: tensors in the order
 * given, {@code __metadata__} first with sorted keys, no whitespace, and the header padded with
 * spaces to a multiple of 8 bytes as the reference implementation does (readers that map tensor
 * data directly expect the data section aligned). Written to a temporary name and moved into
 * place, so a crash never leaves a truncated checkpoint under the real name.
 */
public final class F32SafetensorsWriter {
  // Compact, in the order given: the safetensors header layout, not CanonicalJson's indented form.
  private static final ObjectMapper JSON = StrictMappers.json();

  /** A tensor in row-major order. */
  public record Tensor(String name, long[] shape, float[] values) {
    public Tensor {
      long n = 1;
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
      if (n != values.length) {
        throw new IllegalArgumentException(name + ": shape holds " + n + " values, got " + values.length);
      }
    }
  }

  private F32SafetensorsWriter() {}

  public static void write(Path file, Map<String, String> metadata, List<Tensor> tensors) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("__metadata__", new TreeMap<>(metadata));
    long offset = 0;
    for (Tensor t : tensors) {
      long bytes = 4L * t.values().length;
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", "F32");
      entry.put("shape", t.shape());
      entry.put("data_offsets", new long[] {offset, offset + bytes});
      if (header.put(t.name(), entry) != null) {
        throw new IllegalArgumentException("duplicate tensor " + t.name());
      }
      offset += bytes;
    }
    byte[] json;
    try {
      json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    int padded = (json.length + 7) / 8 * 8;
    Path tmp = file.resolveSibling("." + file.getFileName() + ".partial");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
      out.write(prefix.array());
      out.write(json);
      for (int i = json.length; i < padded; i++) {
        out.write(' ');
      }
      for (Tensor t : tensors) {
        ByteBuffer data = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(t.values());
        out.write(data.array());
      }
    } catch (IOException e) {
      throw new InfrastructureException("cannot write " + tmp + ": " + e.getMessage(), e);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new InfrastructureException("cannot move " + tmp + " to " + file + ": " + e.getMessage(), e);
    }
  }
}
