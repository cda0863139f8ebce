package io.m31r.release.model.torch;

import io.m31r.release.model.safetensors.SafetensorsDtype;
import java.nio.ByteBuffer;
import java.util.Map;

/** The storage classes a state dict may name, with their element sizes and how to widen them to F32. */
public enum TorchDtype {
  FLOAT("FloatStorage", 4),
  HALF("HalfStorage", 2),
  BFLOAT16("BFloat16Storage", 2);

  private static final Map<String, TorchDtype> BY_CLASS =
      Map.of("FloatStorage", FLOAT, "HalfStorage", HALF, "BFloat16Storage", BFLOAT16);

  private final String storageClass;
  private final int bytes;

  TorchDtype(String storageClass, int bytes) {
    this.storageClass = storageClass;
    this.bytes = bytes;
  }

  /** The dtype of {@code torch.<name>}, or null for storage classes no model weight uses. */
  static TorchDtype ofStorageClass(String name) {
    return BY_CLASS.get(name);
  }

  public String storageClass() {
    return storageClass;
  }

  public int bytes() {
    return bytes;
  }

  /** Element {@code index} of a little-endian buffer, widened to F32 exactly. */
  float read(ByteBuffer le, long index) {
    int at = Math.toIntExact(index * bytes);
    return switch (this) {
      case FLOAT -> le.getFloat(at);
      case HALF -> SafetensorsDtype.halfToFloat(le.getShort(at));
      case BFLOAT16 -> Float.intBitsToFloat((le.getShort(at) & 0xffff) << 16);
    };
  }
}
