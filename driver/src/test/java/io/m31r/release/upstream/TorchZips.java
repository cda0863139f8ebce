package io.m31r.release.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Hand-made torch.save archives: pickle opcodes written byte by byte, storages as raw floats. */
final class TorchZips {
  private TorchZips() {}

  /** Pickle opcodes under construction. */
  static final class Pickle {
    private final ByteArrayOutputStream b = new ByteArrayOutputStream();

    Pickle op(int... bytes) {
      for (int x : bytes) {
        b.write(x);
      }
      return this;
    }

    Pickle global(String module, String name) {
      return op('c').raw(module + "\n" + name + "\n");
    }

    Pickle str(String s) {
      byte[] u = s.getBytes(StandardCharsets.UTF_8);
      op('X');
      b.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(u.length).array());
      b.writeBytes(u);
      return this;
    }

    Pickle int1(int v) {
      return op('K', v);
    }

    Pickle int2(int v) {
      return op('M', v & 0xff, (v >> 8) & 0xff);
    }

    Pickle raw(String s) {
      b.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    byte[] bytes() {
      return b.toByteArray();
    }
  }

  /**
   * A state dict {name -> 2x3 float tensor} over storage "0" as torch.save writes it; the storage
   * record declares {@code numel} elements.
   */
  static byte[] stateDictPickle(String name, int numel) {
    return new Pickle()
        .op(0x80, 2).global("collections", "OrderedDict").op('q', 0, ')', 'R', 'q', 1, '(')
        .str(name).global("torch._utils", "_rebuild_tensor_v2").op('q', 2)
        .op('(', '(').str("storage").global("torch", "FloatStorage").str("0").str("cpu").int2(numel).op('t', 'Q')
        .int1(0).int1(2).int1(3).op(0x86).int1(3).int1(1).op(0x86).op(0x89).op('h', 0, ')', 'R').op('t', 'R')
        .op('u', '.')
        .bytes();
  }

  static float[] sixFloats() {
    return new float[] {1.5f, -2f, 0.25f, 3f, 4f, -0.5f};
  }

  static byte[] floats(float[] values) {
    ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    return buf.array();
  }

  /** A zip laid out as torch.save writes one: archive/data.pkl, archive/byteorder, archive/data/KEY. */
  static void write(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      entry(zip, "archive/data.pkl", pickle);
      entry(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
      for (Map.Entry<String, byte[]> s : storages.entrySet()) {
        entry(zip, "archive/data/" + s.getKey(), s.getValue());
      }
      entry(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(data);
    zip.closeEntry();
  }
}
