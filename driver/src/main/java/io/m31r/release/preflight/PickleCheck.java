package io.m31r.release.preflight;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.model.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Refuses pickle content whatever the file is called: unpickling runs code, which is why releases
 * ship safetensors. Recognises the three PyTorch layouts by their bytes: a bare pickle stream
 * (protocol 2..5 header, which also covers the legacy {@code torch.save} format and its magic
 * number), the zip archive of PyTorch 1.6+ (a {@code data.pkl} or any {@code .pkl} entry) and the
 * oldest tar layout (a member called {@code pickle}). Only headers and directories are read.
 */
public final class PickleCheck {
  private static final int PROTO = 0x80;
  /** {@code torch.save} before 1.6 pickles this number first: 0x1950a86a20f9469cfc6c as LONG1. */
  private static final byte[] LEGACY_TORCH_MAGIC = {
    (byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a,
    (byte) 0xa8, 0x50, 0x19
  };
  private static final byte[] ZIP_LOCAL_HEADER = {'P', 'K', 3, 4};
  private static final int TAR_BLOCK = 512;
  private static final int TAR_MAGIC_OFFSET = 257;
  /** The legacy tar layout has four members; a few more blocks of slack is plenty. */
  private static final int TAR_MAX_MEMBERS = 16;

  private PickleCheck() {}

  /**
   * @throws BadInputException if the file holds pickle content, or is called {@code *.safetensors}
   *     but does not start like one
   */
  public static void requireNotPickle(Path file) {
    Optional<String> pickle = pickleLayout(file);
    if (pickle.isPresent()) {
      throw new BadInputException(
          file + " is a pickle (PyTorch .pt) file, not safetensors (" + pickle.get()
              + "); pickle can execute code and is refused");
    }
    String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
    if (name.endsWith(".safetensors")) {
      requireSafetensorsStart(file);
    }
  }

  /** Which pickle layout the file has, empty if none. */
  static Optional<String> pickleLayout(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      byte[] head = read(channel, 0, TAR_BLOCK);
      if (startsWith(head, LEGACY_TORCH_MAGIC)) {
        return Optional.of("legacy torch.save magic number");
      }
      if (head.length >= 2 && (head[0] & 0xff) == PROTO && head[1] >= 2 && head[1] <= 5) {
        return Optional.of("pickle protocol " + head[1] + " header");
      }
      if (startsWith(head, ZIP_LOCAL_HEADER)) {
        return zipPickleEntry(file);
      }
      if (isTar(head)) {
        return tarPickleMember(channel);
      }
      return Optional.empty();
    } catch (NoSuchFileException e) {
      throw new BadInputException(file + " does not exist", e);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Optional<String> zipPickleEntry(Path file) throws IOException {
    // ZipFile reads only the central directory here; entries are never inflated.
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        String entry = entries.nextElement().getName();
        if (entry.toLowerCase(Locale.ROOT).endsWith(".pkl")) {
          return Optional.of("zip archive holding " + OneLine.clip(entry));
        }
      }
      return Optional.empty();
    } catch (ZipException e) {
      throw new BadInputException(
          file + " starts like a zip archive but its directory cannot be read (" + OneLine.clip(String.valueOf(e.getMessage()))
              + "); it is not a release input", e);
    }
  }

  private static boolean isTar(byte[] head) {
    if (head.length < TAR_BLOCK) {
      return false;
    }
    String magic = new String(head, TAR_MAGIC_OFFSET, 5, StandardCharsets.US_ASCII);
    return magic.equals("ustar");
  }

  private static Optional<String> tarPickleMember(FileChannel channel) throws IOException {
    long offset = 0;
    for (int i = 0; i < TAR_MAX_MEMBERS; i++) {
      byte[] header = read(channel, offset, TAR_BLOCK);
      if (header.length < TAR_BLOCK || header[0] == 0) {
        return Optional.empty();
      }
      String name = field(header, 0, 100);
      int slash = name.lastIndexOf('/');
      String base = name.substring(slash + 1);
      if (base.equals("pickle") || base.endsWith(".pkl")) {
        return Optional.of("legacy torch tar archive holding " + OneLine.clip(name));
      }
      long size;
      try {
        size = Long.parseLong(field(header, 124, 12).trim(), 8);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      offset += TAR_BLOCK + (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
    }
    return Optional.empty();
  }

  private static String field(byte[] block, int from, int length) {
    int end = from;
    while (end < from + length && block[end] != 0) {
      end++;
    }
    return new String(block, from, end - from, StandardCharsets.US_ASCII);
  }

  private static void requireSafetensorsStart(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      byte[] head = read(channel, 0, 9);
      if (head.length < 9) {
        throw new BadInputException(file + " is not a safetensors file: " + size + " bytes, too short for a header");
      }
      long n = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (n < 2 || n > SafetensorsFile.MAX_HEADER_BYTES || n > size - 8) {
        throw new BadInputException(
            file + " is not a safetensors file: header length " + Long.toUnsignedString(n)
                + " is not between 2 and min(" + SafetensorsFile.MAX_HEADER_BYTES + ", " + (size - 8) + ")");
      }
      if (head[8] != '{') {
        throw new BadInputException(
            file + " is not a safetensors file: the header does not start with '{' (byte 0x"
                + String.format("%02x", head[8] & 0xff) + ")");
      }
    } catch (NoSuchFileException e) {
      throw new BadInputException(file + " does not exist", e);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] read(FileChannel channel, long offset, int max) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(max);
    while (buf.hasRemaining()) {
      int n = channel.read(buf, offset + buf.position());
      if (n < 0) {
        break;
      }
    }
    byte[] out = new byte[buf.position()];
    buf.flip().get(out);
    return out;
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
