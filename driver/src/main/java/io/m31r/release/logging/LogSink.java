package io.m31r.release.logging;

/** Where event lines go. Implementations write each line whole, and are safe across threads. */
public interface LogSink extends AutoCloseable {
  /** Writes {@code line} and a line feed as one unit. */
  void write(String line);

  @Override
  void close();
}
