package io.m31r.release.model.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.model.testing.SafetensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafetensorsFileTest {
  @TempDir Path dir;

  @Test
  void readsF32TensorsAndMetadata() throws IOException {
    Path file = dir.resolve("model.safetensors");
    new SafetensorsWriter()
        .metadata("format", "pt")
        .add("b", new long[] {2, 2}, new float[] {1, -2, 3.5f, 4})
        .add("a", new long[] {3}, new float[] {0.25f, 0, -1e-3f})
        .write(file);
    SafetensorsFile st = SafetensorsFile.open(file);
    assertEquals(Map.of("format", "pt"), st.metadata());
    assertEquals(List.of("b", "a"), List.copyOf(st.header().tensors().keySet()));
    assertEquals(List.of(2L, 2L), st.header().tensor("b").orElseThrow().shape());
    assertArrayEquals(new float[] {1, -2, 3.5f, 4}, st.readFloats("b"));
    assertArrayEquals(new float[] {0.25f, 0, -1e-3f}, st.readFloats("a"));
  }

  @Test
  void widensBf16AndF16InJavaWithoutTouchingTheNativeEngine() throws IOException {
    float[] values = {1f, -2.5f, 0.15625f, 65504f, -0f, 6.1035156e-5f};
    Path file = dir.resolve("half.safetensors");
    new SafetensorsWriter()
        .add("bf", "BF16", new long[] {6}, values)
        .add("h", "F16", new long[] {2, 3}, values)
        .write(file);
    SafetensorsFile st = SafetensorsFile.open(file);
    assertEquals(SafetensorsDtype.BF16, st.header().tensor("bf").orElseThrow().dtype());
    float[] bf = st.readFloats("bf");
    for (int i = 0; i < values.length; i++) {
      // BF16 keeps the top 16 bits of the float: the writer truncates, so expect exactly that.
      assertEquals(Float.intBitsToFloat(Float.floatToRawIntBits(values[i]) & 0xffff0000), bf[i]);
    }
    assertArrayEquals(values, st.readFloats("h"));
  }

  @Test
  void halfConversionCoversSubnormalsInfinityAndNan() {
    assertEquals(0x1p-24f, SafetensorsDtype.halfToFloat((short) 0x0001));
    assertEquals(Float.POSITIVE_INFINITY, SafetensorsDtype.halfToFloat((short) 0x7c00));
    assertEquals(Float.NEGATIVE_INFINITY, SafetensorsDtype.halfToFloat((short) 0xfc00));
    assertTrue(Float.isNaN(SafetensorsDtype.halfToFloat((short) 0x7e00)));
    assertEquals(-2f, SafetensorsDtype.halfToFloat((short) 0xc000));
  }

  @Test
  void acceptsAnEmptyFileWithOnlyMetadata() throws IOException {
    Path file = dir.resolve("empty.safetensors");
    SafetensorsWriter.writeRaw(file, "{\"__metadata__\":{}}  ".getBytes(StandardCharsets.UTF_8), new byte[0]);
    assertTrue(SafetensorsFile.open(file).header().tensors().isEmpty());
  }

  static Stream<Arguments> corruptions() {
    byte[] eight = new byte[8];
    byte[] sixteen = new byte[16];
    String ok = "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    return Stream.of(
        Arguments.of("header longer than file", ok, eight, 10_000L, "is larger than the"),
        Arguments.of("header over 100 MB", ok, eight, 200L * 1024 * 1024, "exceeds the"),
        Arguments.of("header length above 2^63", ok, eight, -5L, "exceeds the"),
        Arguments.of("not JSON", "{\"t\": [", eight, null, "is not valid JSON"),
        Arguments.of("top level array", "[1,2]", eight, null, "is not a JSON object"),
        Arguments.of(
            "duplicate key",
            "{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            eight,
            null,
            "duplicate key"),
        Arguments.of(
            "unknown dtype",
            "{\"t\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}",
            eight,
            null,
            "tensor 't' has unsupported dtype 'F8_E4M3'"),
        Arguments.of(
            "offsets out of bounds",
            "{\"t\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}",
            eight,
            null,
            "tensor 't' data_offsets [0, 16] are out of bounds"),
        Arguments.of(
            "overlap",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}",
            sixteen,
            null,
            "tensor 'b' [8, 16] overlaps tensor 'a'"),
        Arguments.of(
            "gap",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}",
            sixteen,
            null,
            "gap of 4 bytes before tensor 'b'"),
        Arguments.of(
            "not starting at zero",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            eight,
            null,
            "gap of 4 bytes before tensor 'a' (at 0)"),
        Arguments.of(
            "length not shape x dtype",
            "{\"t\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            eight,
            null,
            "tensor 't' holds 8 bytes but shape [2] x BF16 needs 4"),
        Arguments.of("trailing data", ok, sixteen, null, "8 bytes after the last tensor 't'"),
        Arguments.of(
            "negative dimension",
            "{\"t\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}",
            eight,
            null,
            "tensor 't' shape holds -2"),
        Arguments.of(
            "offsets of wrong arity",
            "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}",
            eight,
            null,
            "tensor 't' data_offsets has 3 elements"),
        Arguments.of(
            "metadata value not a string",
            "{\"__metadata__\":{\"step\":5}," + ok.substring(1),
            eight,
            null,
            "__metadata__ value for 'step' is not a string"),
        Arguments.of(
            "unknown entry field",
            "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"exec\":\"rm\"}}",
            eight,
            null,
            "tensor 't' has an unknown field 'exec'"),
        Arguments.of(
            "shape overflow",
            "{\"t\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}",
            eight,
            null,
            "overflows"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptions")
  void rejectsCorruption(String label, String header, byte[] data, Long declaredLength, String expected)
      throws IOException {
    Path file = dir.resolve("model.safetensors");
    byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
    SafetensorsWriter.writeRaw(
        file, declaredLength == null ? headerBytes.length : declaredLength, headerBytes, data);
    MalformedSafetensorsException e =
        assertThrows(MalformedSafetensorsException.class, () -> SafetensorsFile.open(file), label);
    assertTrue(e.getMessage().contains(expected), label + ": " + e.getMessage());
    assertTrue(e.getMessage().startsWith("model.safetensors: "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e instanceof BadInputException);
  }

  @Test
  void everyCorruptionHasItsOwnMessage() throws IOException {
    Set<String> messages = new HashSet<>();
    int n = 0;
    for (Arguments a : corruptions().toList()) {
      Object[] args = a.get();
      Path file = dir.resolve("c" + n++ + ".safetensors");
      byte[] headerBytes = ((String) args[1]).getBytes(StandardCharsets.UTF_8);
      Long declared = (Long) args[3];
      SafetensorsWriter.writeRaw(file, declared == null ? headerBytes.length : declared, headerBytes, (byte[]) args[2]);
      String m = assertThrows(MalformedSafetensorsException.class, () -> SafetensorsFile.open(file)).getMessage();
      messages.add(m.substring(m.indexOf(": ") + 2));
    }
    assertTrue(n >= 10);
    assertEquals(n, messages.size(), "messages: " + messages);
  }

  @Test
  void rejectsInvalidUtf8AndTinyFiles() throws IOException {
    Path bad = dir.resolve("utf.safetensors");
    SafetensorsWriter.writeRaw(bad, new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, '"', ':', '1', '}'}, new byte[0]);
    assertTrue(
        assertThrows(MalformedSafetensorsException.class, () -> SafetensorsFile.open(bad))
            .getMessage()
            .contains("not valid UTF-8"));
    Path tiny = dir.resolve("tiny.safetensors");
    Files.write(tiny, new byte[] {1, 2, 3});
    assertTrue(
        assertThrows(MalformedSafetensorsException.class, () -> SafetensorsFile.open(tiny))
            .getMessage()
            .contains("shorter than the 8-byte header length"));
  }
}
