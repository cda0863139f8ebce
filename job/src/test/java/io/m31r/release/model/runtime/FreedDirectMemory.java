package io.m31r.release.model.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the JVM free the memory of unreachable direct buffers now, then takes small blocks of
 * malloc's memory back and fills them with {@code value}: a libtorch array still pointing into
 * freed Java memory then reads {@code value} (or other junk) instead of what was there.
 */
public final class FreedDirectMemory {
  private FreedDirectMemory() {}

  /** Keep the result reachable until the reads under test are done. */
  public static List<ByteBuffer> collectAndOverwrite(float value) throws InterruptedException {
    System.gc();
    // Direct buffers are freed by a Cleaner on another thread, shortly after the collection.
    Thread.sleep(100);
    List<ByteBuffer> held = new ArrayList<>();
    for (int i = 0; i < 4096; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
      b.putFloat(0, value);
      held.add(b);
    }
    return held;
  }
}
