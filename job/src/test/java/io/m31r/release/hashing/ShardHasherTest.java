package io.m31r.release.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.ExitCode;
import io.m31r.release.shards.ShardInspector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardHasherTest {
  @TempDir Path dir;

  private static PositionedInput of(byte[] data) {
    return (pos, buf, off, len) -> {
      if (pos >= data.length) {
        return -1;
      }
      int n = (int) Math.min(len, data.length - pos);
      System.arraycopy(data, (int) pos, buf, off, n);
      return n;
    };
  }

  private static String hash(byte[] data, int buffer) throws IOException {
    return new ShardHasher(buffer)
        .hash("t", of(data), data.length, ShardInspector.NONE, ShardHasher.ByteProgress.NONE)
        .sha256();
  }

  @Test
  void knownVectors() throws IOException {
    // FIPS 180-2 / NIST examples.
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hash(new byte[0], 65536));
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        hash("abc".getBytes(StandardCharsets.US_ASCII), 65536));
    assertEquals(
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes(StandardCharsets.US_ASCII), 7));
    byte[] million = new byte[1_000_000];
    java.util.Arrays.fill(million, (byte) 'a');
    assertEquals("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", hash(million, 65536));
    assertEquals("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", hash(million, 4096));
  }

  /** Sizes around the 64 KiB buffer and the 64-byte SHA block, compared with GNU sha256sum. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 55, 56, 63, 64, 65, 4095, 4096, 65535, 65536, 65537, 131071, 131072, 131073, 1 << 20})
  void matchesSha256sumOnFiles(int size) throws Exception {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    Path f = dir.resolve("f" + size);
    Files.write(f, data);
    String expected = sha256sum(f);
    try (FileChannel ch = FileChannel.open(f)) {
      PositionedInput in = (pos, buf, off, len) -> ch.read(ByteBuffer.wrap(buf, off, len), pos);
      AtomicLong progressed = new AtomicLong();
      ShardDigest d =
          new ShardHasher().hash(f.toString(), in, size, ShardInspector.NONE, progressed::addAndGet);
      assertEquals(expected, d.sha256());
      assertEquals(size, d.size());
      assertEquals(size, progressed.get());
    }
  }

  @Test
  void readsNeverExceedTheBuffer() throws IOException {
    byte[] data = new byte[300_000];
    int[] largest = {0};
    PositionedInput in =
        (pos, buf, off, len) -> {
          largest[0] = Math.max(largest[0], len);
          return of(data).read(pos, buf, off, len);
        };
    new ShardHasher().hash("t", in, data.length, ShardInspector.NONE, ShardHasher.ByteProgress.NONE);
    assertTrue(largest[0] <= ShardHasher.MAX_BUFFER_BYTES, "read of " + largest[0] + " bytes");
  }

  @Test
  void refusesBuffersAbove64KiB() {
    assertThrows(IllegalArgumentException.class, () -> new ShardHasher(65537));
  }

  @Test
  void shardThatGrewOrShrankIsReportedAsChanged() {
    byte[] data = new byte[1000];
    ShardChangedException grew =
        assertThrows(ShardChangedException.class, () -> new ShardHasher()
            .hash("a.bin", of(data), 999, ShardInspector.NONE, ShardHasher.ByteProgress.NONE));
    assertTrue(grew.getMessage().contains("a.bin"), grew.getMessage());
    assertEquals(ExitCode.INTEGRITY, grew.exitCode());
    ShardChangedException shrank =
        assertThrows(ShardChangedException.class, () -> new ShardHasher()
            .hash("b.bin", of(data), 1001, ShardInspector.NONE, ShardHasher.ByteProgress.NONE));
    assertTrue(shrank.getMessage().contains("planned 1001 bytes, read 1000"), shrank.getMessage());
  }

  static String sha256sum(Path f) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sha256sum", f.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor());
    return out.substring(0, 64);
  }

  @Test
  void aStoreThatNeverAdvancesFailsInsteadOfSpinning() {
    PositionedInput stuck = (pos, buf, off, len) -> 0;
    IOException e = assertThrows(IOException.class, () -> new ShardHasher()
        .hash("s.bin", stuck, 10, ShardInspector.NONE, ShardHasher.ByteProgress.NONE));
    assertTrue(e.getMessage().contains("s.bin"), e.getMessage());
  }
}
