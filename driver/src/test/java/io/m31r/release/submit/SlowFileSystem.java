package io.m31r.release.submit;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Test-only Hadoop file system {@code slowfile:} : the local file system, with a pause before
 * every read, so that a freeze lasts long enough to kill an executor in the middle of it. It
 * announces the first file it opens in a JVM by writing that JVM's pid into a directory, which
 * tells the test which executor is busy hashing, and when.
 *
 * <p>Registered as {@code spark.hadoop.fs.slowfile.impl}; it reaches the driver and the executors
 * through a jar in the fake SPARK_HOME's {@code jars/}, like a storage connector on a cluster.
 */
public class SlowFileSystem extends RawLocalFileSystem {
  static final String SCHEME = "slowfile";
  static final String SLEEP_MS = "fs.slowfile.read.sleep.ms";
  static final String SIGNAL_DIR = "fs.slowfile.signal.dir";

  private static final URI NAME = URI.create(SCHEME + ":///");
  private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

  @Override
  public URI getUri() {
    return NAME;
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  /**
   * Plain statuses: the local file system's own status objects load permissions through
   * {@code java.io.File} on the status path and refuse any scheme but {@code file:}.
   */
  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    return plain(super.getFileStatus(f));
  }

  @Override
  public FileStatus[] listStatus(Path f) throws IOException {
    FileStatus[] all = super.listStatus(f);
    FileStatus[] out = new FileStatus[all.length];
    for (int i = 0; i < all.length; i++) {
      out[i] = plain(all[i]);
    }
    return out;
  }

  private static FileStatus plain(FileStatus s) {
    return new FileStatus(s.getLen(), s.isDirectory(), s.getReplication(), s.getBlockSize(),
        s.getModificationTime(), s.getAccessTime(), null, null, null, s.getPath());
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    FSDataInputStream in = super.open(f, bufferSize);
    announceFirstOpen();
    return new FSDataInputStream(new SlowInput(in, getConf().getLong(SLEEP_MS, 0)));
  }

  private void announceFirstOpen() throws IOException {
    String dir = getConf().get(SIGNAL_DIR);
    if (dir == null || !ANNOUNCED.compareAndSet(false, true)) {
      return;
    }
    String pid = Long.toString(ProcessHandle.current().pid());
    java.nio.file.Path target = java.nio.file.Path.of(dir, pid);
    java.nio.file.Path temp = java.nio.file.Path.of(dir, "." + pid + ".tmp");
    // Written aside and moved, so that the test never reads a half-written pid.
    Files.writeString(temp, pid, StandardCharsets.US_ASCII);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Delegates to the local stream, pausing before each read of data. */
  private static final class SlowInput extends FSInputStream {
    private final FSDataInputStream in;
    private final long sleepMs;

    SlowInput(FSDataInputStream in, long sleepMs) {
      this.in = in;
      this.sleepMs = sleepMs;
    }

    private void pause() throws IOException {
      try {
        Thread.sleep(sleepMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while slowed down");
      }
    }

    @Override
    public void seek(long pos) throws IOException {
      in.seek(pos);
    }

    @Override
    public long getPos() throws IOException {
      return in.getPos();
    }

    @Override
    public boolean seekToNewSource(long targetPos) {
      return false;
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      pause();
      return in.read(b, off, len);
    }

    @Override
    public int read(long position, byte[] b, int off, int len) throws IOException {
      pause();
      return in.read(position, b, off, len);
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
