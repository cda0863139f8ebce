package io.m31r.release.storage;

import io.m31r.release.failure.ConflictException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.OutcomeUnknownException;
import io.m31r.release.hadoop.StorageUris;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a file that may never change once visible. A target that already holds the same bytes is
 * a successful retry; one that holds other bytes is a conflict and is left untouched.
 *
 * <p>Visibility is atomic on every store: local files are written aside and hard-linked into
 * place (a link never replaces an existing file), stores with atomic rename (HDFS) get a
 * no-overwrite rename, object stores (S3A) a single PUT that appears whole when the stream closes,
 * read back afterwards because two concurrent PUTs cannot be told apart otherwise.
 */
public final class ImmutableFileWriter {
  private static final java.util.Set<String> OBJECT_STORE_SCHEMES =
      java.util.Set.of("s3a", "s3", "gs", "abfs", "abfss", "wasb", "wasbs", "oss", "cos", "obs");

  private final Configuration conf;

  public ImmutableFileWriter(Configuration conf) {
    this.conf = conf;
  }

  /** Fails with {@link ConflictException} if {@code target} exists with different bytes. */
  public void checkWritable(Path target, byte[] content) {
    byte[] existing = existingFile(target);
    if (existing != null && !Arrays.equals(existing, content)) {
      throw conflict(target);
    }
  }

  public WriteOutcome write(Path target, byte[] content) {
    byte[] existing = existingFile(target);
    if (existing != null) {
      if (Arrays.equals(existing, content)) {
        return WriteOutcome.ALREADY_IDENTICAL;
      }
      throw conflict(target);
    }
    FileSystem fs = StorageUris.fileSystem(target, conf);
    try {
      fs.mkdirs(target.getParent());
    } catch (IOException e) {
      throw new InfrastructureException(
          "cannot create directory " + target.getParent() + ": " + e.getMessage(), e);
    }
    try {
      if (StorageUris.isLocal(target)) {
        return writeLocal(target, content);
      }
      if (isObjectStore(fs, target)) {
        return writeObject(fs, target, content);
      }
      return writeByRename(fs, target, content);
    } catch (IOException e) {
      return settleAfterFailure(target, content, e);
    }
  }

  private WriteOutcome writeLocal(Path target, byte[] content) throws IOException {
    java.nio.file.Path file = StorageUris.toLocal(target);
    java.nio.file.Path temp = file.resolveSibling("." + file.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      try (FileChannel ch =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(content));
        ch.force(true);
      }
      try {
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException e) {
        return settleExisting(target, content);
      } catch (UnsupportedOperationException e) {
        // Some file systems have no hard links; a plain move without REPLACE_EXISTING refuses an
        // existing target, with a narrower race window than no check at all.
        Files.move(temp, file);
      }
      return WriteOutcome.CREATED;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private WriteOutcome writeByRename(FileSystem fs, Path target, byte[] content) throws IOException {
    Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    try {
      try (FSDataOutputStream out = fs.create(temp, false)) {
        out.write(content);
        out.hsync();
      }
      if (fs.rename(temp, target)) {
        return WriteOutcome.CREATED;
      }
      return settleExisting(target, content);
    } finally {
      fs.delete(temp, false);
    }
  }

  private WriteOutcome writeObject(FileSystem fs, Path target, byte[] content) throws IOException {
    try (OutputStream out = fs.create(target, false)) {
      out.write(content);
    }
    byte[] visible = readIfExists(target);
    if (visible == null) {
      throw new OutcomeUnknownException(
          "wrote " + target + " but cannot read it back; it may or may not be visible");
    }
    if (!Arrays.equals(visible, content)) {
      throw new ConflictException(
          target + " was written concurrently by another writer with different content; ours lost");
    }
    return WriteOutcome.CREATED;
  }

  /**
   * Object stores have no atomic no-overwrite rename (S3A's rename is a copy), but a single PUT
   * becomes visible whole. They are the stores that expose etags; HDFS and local files do not.
   */
  public static boolean isObjectStore(FileSystem fs, Path path) throws IOException {
    String scheme = path.toUri().getScheme();
    return OBJECT_STORE_SCHEMES.contains(scheme)
        || fs.hasPathCapability(path.getParent(), CommonPathCapabilities.ETAGS_AVAILABLE);
  }

  /** Someone else made the target visible first: only identical bytes make that a success. */
  private WriteOutcome settleExisting(Path target, byte[] content) {
    byte[] existing = readIfExists(target);
    if (existing != null && Arrays.equals(existing, content)) {
      return WriteOutcome.ALREADY_IDENTICAL;
    }
    throw conflict(target);
  }

  /** A failed write may still have become visible: re-read and compare, never delete. */
  private WriteOutcome settleAfterFailure(Path target, byte[] content, IOException cause) {
    byte[] visible;
    try {
      visible = readIfExists(target);
    } catch (RuntimeException e) {
      throw new OutcomeUnknownException(
          "writing " + target + " failed (" + cause.getMessage() + ") and it cannot be read back: "
              + "it may or may not be visible",
          cause);
    }
    if (visible == null) {
      throw new InfrastructureException(
          "writing " + target + " failed, nothing is visible: " + cause.getMessage(), cause);
    }
    if (Arrays.equals(visible, content)) {
      return WriteOutcome.CREATED;
    }
    throw conflict(target);
  }

  /**
   * The bytes of the file at {@code target}, or null when nothing is there. A directory there is a
   * conflict: HDFS's rename would move the new file into it and report success, and object stores
   * refuse to create a file over it.
   */
  private byte[] existingFile(Path target) {
    byte[] bytes = readIfExists(target);
    if (bytes == null && isDirectory(target)) {
      throw new ConflictException(target + " already exists and is not a file; it was left untouched");
    }
    return bytes;
  }

  private boolean isDirectory(Path target) {
    try {
      return StorageUris.fileSystem(target, conf).getFileStatus(target).isDirectory();
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new InfrastructureException("cannot inspect " + target + ": " + e.getMessage(), e);
    }
  }

  /** The bytes at {@code target}, or null when there is no such file. */
  public byte[] readIfExists(Path target) {
    FileSystem fs = StorageUris.fileSystem(target, conf);
    try (InputStream in = fs.open(target)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    } catch (FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + target + ": " + e.getMessage(), e);
    }
  }

  private static ConflictException conflict(Path target) {
    return new ConflictException(
        target + " already exists with different content; it was left untouched");
  }
}
