package io.m31r.release.logging;

import java.io.PrintStream;
import java.util.Objects;

/** Lines to a {@link PrintStream} (stderr by default); closing flushes but leaves the stream open. */
public final class StreamSink implements LogSink {
  private final PrintStream stream;

  public StreamSink(PrintStream stream) {
    this.stream = Objects.requireNonNull(stream, "stream");
  }

  @Override
  public void write(String line) {
    // Locking the stream itself keeps our line whole even next to other writers of System.err.
    synchronized (stream) {
      stream.print(line + "\n");
      stream.flush();
    }
  }

  @Override
  public void close() {
    stream.flush();
  }
}
