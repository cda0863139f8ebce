package io.m31r.release.model.safetensors;

import io.m31r.release.failure.InfrastructureException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A {@code model.safetensors} file whose header was checked in full on open. Tensor bytes are read
 * through read-only memory maps and only ever interpreted as numbers: nothing in the file can run.
 */
public final class SafetensorsFile {
  /** The cap upstream readers apply; a larger header is an attack or a corruption, not a model. */
  public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private final Path path;
  private final String name;
  private final long dataStart;
  private final SafetensorsHeader header;

  private SafetensorsFile(Path path, long dataStart, SafetensorsHeader header) {
    this.path = path;
    this.name = String.valueOf(path.getFileName());
    this.dataStart = dataStart;
    this.header = header;
  }

  public static SafetensorsFile open(Path path) {
    String file = String.valueOf(path.getFileName());
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < 8) {
        throw new MalformedSafetensorsException(
            file, "file is " + size + " bytes, shorter than the 8-byte header length");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.getLong(0);
      // Read as unsigned: a negative long is a length above 2^63, far over the cap.
      if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
        throw new MalformedSafetensorsException(
            file,
            "header length " + Long.toUnsignedString(headerLength) + " exceeds the "
                + MAX_HEADER_BYTES + "-byte cap");
      }
      if (headerLength > size - 8) {
        throw new MalformedSafetensorsException(
            file,
            "header length " + headerLength + " is larger than the " + (size - 8)
                + " bytes after the length field");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(channel, headerBytes, 8);
      long dataStart = 8 + headerLength;
      SafetensorsHeader header =
          SafetensorsHeader.parse(file, headerBytes.array(), size - dataStart);
      return new SafetensorsFile(path, dataStart, header);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  public Path path() {
    return path;
  }

  public SafetensorsHeader header() {
    return header;
  }

  public Map<String, String> metadata() {
    return header.metadata();
  }

  /** The tensor's elements widened to float, in row-major order. */
  public float[] readFloats(String tensor) {
    TensorEntry entry =
        header.tensor(tensor).orElseThrow(() -> new NoSuchElementException("no tensor " + tensor));
    long count = entry.elementCount();
    if (count > Integer.MAX_VALUE - 8) {
      throw new MalformedSafetensorsException(
          name, "tensor '" + tensor + "' has " + count + " elements, more than one Java array holds");
    }
    if (entry.byteLength() > Integer.MAX_VALUE) {
      throw new MalformedSafetensorsException(
          name, "tensor '" + tensor + "' is over 2 GiB, more than this reader maps at once");
    }
    float[] out = new float[(int) count];
    if (count == 0) {
      return out;
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      if (channel.size() != dataStart + lastEnd()) {
        throw new MalformedSafetensorsException(name, "file size changed since its header was read");
      }
      MappedByteBuffer map =
          channel.map(FileChannel.MapMode.READ_ONLY, dataStart + entry.begin(), entry.byteLength());
      map.order(ByteOrder.LITTLE_ENDIAN);
      entry.dtype().widen(map, out);
      return out;
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private long lastEnd() {
    long end = 0;
    for (TensorEntry e : header.tensors().values()) {
      end = Math.max(end, e.end());
    }
    return end;
  }

  private static void readFully(FileChannel channel, ByteBuffer into, long position)
      throws IOException {
    long at = position;
    while (into.hasRemaining()) {
      int n = channel.read(into, at);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + at);
      }
      at += n;
    }
  }
}
