package io.m31r.release.logging;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Lines appended to a local file. The file is opened in append mode ({@code O_APPEND}), and each
 * line with its line feed is one buffer written under a lock, so lines from several threads, or
 * several processes appending to the same file, never interleave within a line.
 */
public final class FileSink implements LogSink {
  private final Path path;
  private final FileChannel channel;

  private FileSink(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /**
   * Opens (creating if needed) {@code path} for appending.
   *
   * @throws BadInputException when its directory does not exist or it cannot be opened (exit 2:
   *     the setting is wrong, a retry would not help)
   */
  public static FileSink open(Path path, String setting) {
    Path absolute = path.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new BadInputException(setting + ": directory " + dir + " does not exist");
    }
    if (Files.isDirectory(absolute)) {
      throw new BadInputException(setting + ": " + absolute + " is a directory, not a log file");
    }
    try {
      FileChannel channel = FileChannel.open(
          absolute, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      return new FileSink(absolute, channel);
    } catch (IOException e) {
      throw new BadInputException(setting + ": cannot open " + absolute + " for appending (" + e + ")", e);
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public synchronized void write(String line) {
    ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      throw new InfrastructureException("log file " + path + ": write failed (" + e + ")", e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new InfrastructureException("log file " + path + ": close failed (" + e + ")", e);
    }
  }
}
