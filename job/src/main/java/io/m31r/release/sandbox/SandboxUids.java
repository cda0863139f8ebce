package io.m31r.release.sandbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out one unprivileged uid per concurrently judged sample, from a fixed range, so that two
 * samples never share a uid: not in one JVM (an in-memory set) and not across the JVMs of one host,
 * such as several executors or several test JVMs (an OS file lock per uid in one root-owned folder
 * per host, {@code /run/m31r-sandbox-uids}, released by the kernel if the JVM dies). A sample whose uid is its own cannot signal, trace or write anything of
 * another sample's, and its process limit is not shared.
 */
final class SandboxUids {
  /** First uid of the range; nothing else on a judging host may use {@code FIRST .. FIRST + COUNT - 1}. */
  static final int FIRST = 6_453_400;

  static final int COUNT = 256;

  private static final long WAIT_MILLIS = 120_000;
  private static final Set<Integer> HELD = new HashSet<>();

  private SandboxUids() {}

  /** Where every JVM of this host takes its locks: /run where it exists, else the temp folder. */
  static Path hostLockDir() {
    Path run = Path.of("/run");
    Path base = Files.isDirectory(run) && Files.isWritable(run) ? run : Path.of(System.getProperty("java.io.tmpdir"));
    return base.resolve("m31r-sandbox-uids");
  }

  /** A uid held until the slot is closed. */
  static Slot acquire(Path lockDir) throws IOException, InterruptedException {
    Files.createDirectories(lockDir);
    if (Files.isSymbolicLink(lockDir) || !Integer.valueOf(0).equals(Files.getAttribute(lockDir, "unix:uid", LinkOption.NOFOLLOW_LINKS))) {
      throw new IOException(lockDir + " is not a folder of root's: uids cannot be handed out safely");
    }
    Files.setPosixFilePermissions(lockDir, PosixFilePermissions.fromString("rwx------"));
    long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
    while (true) {
      for (int i = 0; i < COUNT; i++) {
        Slot s = tryTake(lockDir, FIRST + i);
        if (s != null) {
          return s;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("all " + COUNT + " sandbox uids from " + FIRST + " stayed busy for " + WAIT_MILLIS + " ms");
      }
      Thread.sleep(50);
    }
  }

  private static Slot tryTake(Path lockDir, int uid) throws IOException {
    synchronized (HELD) {
      if (!HELD.add(uid)) {
        return null;
      }
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(lockDir.resolve(uid + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = ch.tryLock();
      if (lock != null) {
        return new Slot(uid, ch);
      }
    } catch (OverlappingFileLockException e) {
      // Held by this JVM through another channel: busy, like a lock held elsewhere.
    } catch (IOException e) {
      release(uid, ch);
      throw e;
    }
    release(uid, ch);
    return null;
  }

  private static void release(int uid, FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // Closing drops the lock whatever the error says.
      }
    }
    synchronized (HELD) {
      HELD.remove(uid);
    }
  }

  /** One held uid; closing gives it back. */
  static final class Slot implements AutoCloseable {
    private final int uid;
    private final FileChannel lock;

    private Slot(int uid, FileChannel lock) {
      this.uid = uid;
      this.lock = lock;
    }

    int uid() {
      return uid;
    }

    @Override
    public void close() {
      release(uid, lock);
    }
  }
}
