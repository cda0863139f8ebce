package io.m31r.release.model.safetensors;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The element types this runtime accepts. Half types are widened to float in Java because DJL's
 * PyTorch engine crashes the JVM on any BF16 tensor, and F16 is rare enough to treat the same way.
 */
public enum SafetensorsDtype {
  F32(4),
  F16(2),
  BF16(2);

  private final int bytes;

  SafetensorsDtype(int bytes) {
    this.bytes = bytes;
  }

  public int bytes() {
    return bytes;
  }

  public static Optional<SafetensorsDtype> parse(String name) {
    for (SafetensorsDtype d : values()) {
      if (d.name().equals(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** Reads {@code out.length} little-endian elements from the buffer's position into floats. */
  void widen(ByteBuffer littleEndian, float[] out) {
    switch (this) {
      case F32 -> littleEndian.asFloatBuffer().get(out);
      case F16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = halfToFloat(littleEndian.getShort(littleEndian.position() + 2 * i));
        }
      }
      case BF16 -> {
        for (int i = 0; i < out.length; i++) {
          int top = littleEndian.getShort(littleEndian.position() + 2 * i) & 0xffff;
          out[i] = Float.intBitsToFloat(top << 16);
        }
      }
    }
  }

  /** IEEE 754 binary16 to binary32, exact for every input including subnormals, inf and NaN. */
  public static float halfToFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    if (exponent == 31) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }
}
