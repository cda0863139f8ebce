package io.m31r.release.model.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.m31r.release.model.safetensors.F32SafetensorsWriter;
import io.m31r.release.model.safetensors.SafetensorsFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class F32SafetensorsWriterTest {
  @TempDir Path tmp;

  @Test
  void writesWhatTheStrictReaderReadsBackWithAnAlignedHeaderAndSameBytesEveryTime() throws Exception {
    List<F32SafetensorsWriter.Tensor> tensors =
        List.of(
            new F32SafetensorsWriter.Tensor("b", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f}),
            new F32SafetensorsWriter.Tensor("a", new long[] {1}, new float[] {0.25f}));
    Path one = tmp.resolve("one.safetensors");
    Path two = tmp.resolve("two.safetensors");
    F32SafetensorsWriter.write(one, Map.of("z", "1", "seed", "42"), tensors);
    F32SafetensorsWriter.write(two, Map.of("seed", "42", "z", "1"), tensors);
    assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two));
    long headerLength = ByteBuffer.wrap(Files.readAllBytes(one), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLength % 8);
    SafetensorsFile f = SafetensorsFile.open(one);
    assertEquals(Map.of("seed", "42", "z", "1"), f.metadata());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, -6.5f}, f.readFloats("b"));
    assertArrayEquals(new float[] {0.25f}, f.readFloats("a"));
    try (var files = Files.list(tmp)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".partial")), "no temporary file left");
    }
  }
}
