package io.m31r.release.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains a stream on its own thread, keeping the first {@code cap} bytes. It keeps reading past
 * the cap and drops the rest: a child blocked on a full pipe would otherwise look like a timeout,
 * and keeping everything would let a program print its way into the JVM's heap.
 */
final class BoundedCapture {
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final int cap;
  /** The last {@link #TAIL} bytes seen, as a ring: where a program's end marker is. */
  private final byte[] tail = new byte[TAIL];
  static final int TAIL = 4096;
  private final Thread thread;
  private long total;

  private BoundedCapture(InputStream in, int cap, String name) {
    this.cap = cap;
    this.thread = new Thread(() -> drain(in), name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  static BoundedCapture start(InputStream in, int cap, String name) {
    return new BoundedCapture(in, cap, name);
  }

  private void drain(InputStream in) {
    byte[] buf = new byte[16 << 10];
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        synchronized (this) {
          int keep = (int) Math.max(0, Math.min(n, cap - kept.size()));
          kept.write(buf, 0, keep);
          for (int i = Math.max(0, n - TAIL); i < n; i++) {
            tail[(int) ((total + i) % TAIL)] = buf[i];
          }
          total += n;
        }
      }
    } catch (IOException e) {
      // The pipe closes under us when the process tree is killed; what was read is the result.
    }
  }

  /** Waits for the end of the stream, at most {@code millis}; a descendant may still hold it open. */
  void await(long millis) throws InterruptedException {
    thread.join(Math.max(1, millis));
  }

  synchronized String text() {
    return kept.toString(StandardCharsets.UTF_8);
  }

  /** The last bytes written (at most {@link #TAIL}), decoded leniently. */
  synchronized String tail() {
    int len = (int) Math.min(total, TAIL);
    byte[] out = new byte[len];
    for (int i = 0; i < len; i++) {
      out[i] = tail[(int) ((total - len + i) % TAIL)];
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  synchronized long totalBytes() {
    return total;
  }

  synchronized boolean truncated() {
    return total > kept.size();
  }
}
