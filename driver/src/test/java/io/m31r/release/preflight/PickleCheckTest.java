package io.m31r.release.preflight;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PickleCheckTest {
  private static final String REFUSED = "; pickle can execute code and is refused";

  @TempDir Path tmp;

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private static byte[] safetensors(String header, int dataBytes) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    return b.array();
  }

  /** Refused with the given reason, and the file is left exactly as it was. */
  private void assertRefused(Path file, String reason) throws IOException {
    byte[] before = Files.readAllBytes(file);
    BadInputException e = assertThrows(BadInputException.class, () -> PickleCheck.requireNotPickle(file));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertEquals(file + " is a pickle (PyTorch .pt) file, not safetensors (" + reason + ")" + REFUSED, e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file));
  }

  @Test
  void pickleStreamsAreRefusedWhateverTheirName() throws IOException {
    for (int protocol = 2; protocol <= 5; protocol++) {
      // what pickle.dumps({}, protocol=N) starts with
      Path p = write("model" + protocol + ".safetensors", new byte[] {(byte) 0x80, (byte) protocol, '}', 'q', 0, '.'});
      assertRefused(p, "pickle protocol " + protocol + " header");
    }
    assertRefused(write("tokenizer.json", new byte[] {(byte) 0x80, 4, (byte) 0x95, 0, 0}), "pickle protocol 4 header");
  }

  @Test
  void legacyTorchSaveMagicIsRecognised() throws IOException {
    // pickle.dumps(0x1950a86a20f9469cfc6c, protocol=2), what torch.save wrote first before 1.6
    byte[] legacy = {
      (byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8,
      0x50, 0x19, 0x2e
    };
    assertRefused(write("model.bin", legacy), "legacy torch.save magic number");
  }

  @Test
  void torchZipArchivesAreRefused() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("archive/version"));
      zip.write("3\n".getBytes(StandardCharsets.US_ASCII));
      zip.putNextEntry(new ZipEntry("archive/data.pkl"));
      zip.write(new byte[] {(byte) 0x80, 2, '}', '.'});
      zip.putNextEntry(new ZipEntry("archive/data/0"));
      zip.write(new byte[16]);
    }
    assertRefused(write("model.safetensors", bytes.toByteArray()), "zip archive holding archive/data.pkl");
  }

  @Test
  void aZipWithoutPickleIsNotCalledPickle() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("notes.txt"));
      zip.write("hi".getBytes(StandardCharsets.US_ASCII));
    }
    Path p = write("notes.zip", bytes.toByteArray());
    assertDoesNotThrow(() -> PickleCheck.requireNotPickle(p));
  }

  @Test
  void legacyTarLayoutIsRefused() throws IOException {
    byte[] tar = new byte[512 * 4];
    writeTarHeader(tar, 0, "storages", 10);
    writeTarHeader(tar, 1024, "pickle", 4);
    assertRefused(write("old.pt", tar), "legacy torch tar archive holding pickle");
  }

  private static void writeTarHeader(byte[] tar, int at, String name, int size) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(n, 0, tar, at, n.length);
    byte[] s = String.format("%011o", size).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(s, 0, tar, at + 124, s.length);
    byte[] magic = "ustar".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, tar, at + 257, magic.length);
  }

  @Test
  void aRealSafetensorsFileAndOrdinaryTextPass() throws IOException {
    Path model =
        write(
            "model.safetensors",
            safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8));
    assertDoesNotThrow(() -> PickleCheck.requireNotPickle(model));
    Path json = write("tokenizer.json", "{\"version\":\"1.0\"}".getBytes(StandardCharsets.UTF_8));
    assertDoesNotThrow(() -> PickleCheck.requireNotPickle(json));
  }

  @Test
  void theUpstreamModelPassesWhenPresent() {
    Path upstream = io.m31r.release.testing.UpstreamModelDir.path().resolve("model.safetensors");
    Assumptions.assumeTrue(Files.isRegularFile(upstream), "upstream model not on this machine");
    assertDoesNotThrow(() -> PickleCheck.requireNotPickle(upstream));
  }

  @Test
  void aSafetensorsNameWithAnInsaneHeaderIsRefused() throws IOException {
    Path huge = write("model.safetensors", ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
    BadInputException e = assertThrows(BadInputException.class, () -> PickleCheck.requireNotPickle(huge));
    assertEquals(
        huge + " is not a safetensors file: header length 1099511627776 is not between 2 and min(104857600, 8)",
        e.getMessage());

    Path notJson = write("b.safetensors", safetensors("[1, 2, 3, 4]", 0));
    BadInputException e2 = assertThrows(BadInputException.class, () -> PickleCheck.requireNotPickle(notJson));
    assertEquals(notJson + " is not a safetensors file: the header does not start with '{' (byte 0x5b)", e2.getMessage());

    Path tiny = write("c.safetensors", new byte[] {1, 0});
    BadInputException e3 = assertThrows(BadInputException.class, () -> PickleCheck.requireNotPickle(tiny));
    assertEquals(tiny + " is not a safetensors file: 2 bytes, too short for a header", e3.getMessage());
  }

  @Test
  void aMissingFileIsABadInput() {
    Path missing = tmp.resolve("absent.safetensors");
    BadInputException e = assertThrows(BadInputException.class, () -> PickleCheck.requireNotPickle(missing));
    assertEquals(missing + " does not exist", e.getMessage());
  }
}
