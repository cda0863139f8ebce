package io.m31r.release.model.safetensors;

import java.util.List;

/**
 * One tensor's header entry. Offsets are relative to the start of the data section, as in the
 * file; {@code begin <= end} and the byte length matches the shape, or the entry was never built.
 */
public record TensorEntry(String name, SafetensorsDtype dtype, List<Long> shape, long begin, long end) {
  public TensorEntry {
    shape = List.copyOf(shape);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("bad offsets for " + name);
    }
    if (Math.multiplyExact(elementCount(shape), (long) dtype.bytes()) != end - begin) {
      throw new IllegalArgumentException("byte length does not match shape for " + name);
    }
  }

  public long byteLength() {
    return end - begin;
  }

  public long elementCount() {
    return elementCount(shape);
  }

  public long[] shapeArray() {
    return shape.stream().mapToLong(Long::longValue).toArray();
  }

  static long elementCount(List<Long> shape) {
    long n = 1;
    for (long dim : shape) {
      n = Math.multiplyExact(n, dim);
    }
    return n;
  }
}
