package io.m31r.release.tasks.freeze;

import io.m31r.release.hadoop.HadoopPositionedInput;
import io.m31r.release.hadoop.StorageUris;
import io.m31r.release.hashing.PositionedInput;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An open shard on an executor: positioned reads, then the file's state after hashing.
 *
 * <p>Local files are read with {@code java.nio} directly: Hadoop's local file system costs about
 * four times the CPU per open (it allocates a 64 KiB stream buffer we never use and stats through
 * {@code java.io.File}), which dominates datasets of many small files. Everything else goes
 * through Hadoop's {@code FileSystem} (pread on HDFS, ranged GETs on S3A).
 */
public interface ShardReader extends Closeable {
  PositionedInput input();

  /** Size and modification time now, to compare with what the plan listed. */
  long[] sizeAndModificationTime() throws IOException;

  /** The shard vanished since it was listed. */
  final class GoneException extends IOException {
    GoneException(String message) {
      super(message);
    }
  }

  /** The shard exists but our permissions do not allow reading it. */
  final class UnreadableException extends IOException {
    UnreadableException(String message) {
      super(message);
    }
  }

  static ShardReader open(PlannedShard shard, Configuration conf) throws IOException {
    URI uri = URI.create(shard.location());
    return "file".equals(uri.getScheme()) ? Local.open(uri) : Hadoop.open(new Path(uri), conf);
  }

  /** A local file through one {@link FileChannel}. */
  final class Local implements ShardReader {
    private final java.nio.file.Path path;
    private final FileChannel channel;

    private Local(java.nio.file.Path path, FileChannel channel) {
      this.path = path;
      this.channel = channel;
    }

    static Local open(URI uri) throws IOException {
      java.nio.file.Path p = Paths.get(uri);
      try {
        return new Local(p, FileChannel.open(p));
      } catch (NoSuchFileException e) {
        throw new GoneException(p.toString());
      } catch (AccessDeniedException e) {
        throw new UnreadableException(p.toString());
      }
    }

    @Override
    public PositionedInput input() {
      return (position, buffer, offset, length) -> channel.read(ByteBuffer.wrap(buffer, offset, length), position);
    }

    @Override
    public long[] sizeAndModificationTime() throws IOException {
      try {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        return new long[] {a.size(), a.lastModifiedTime().toMillis()};
      } catch (NoSuchFileException e) {
        throw new GoneException(path.toString());
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** Any Hadoop file system. */
  final class Hadoop implements ShardReader {
    private final FileSystem fs;
    private final Path path;
    private final FSDataInputStream in;

    private Hadoop(FileSystem fs, Path path, FSDataInputStream in) {
      this.fs = fs;
      this.path = path;
      this.in = in;
    }

    static Hadoop open(Path path, Configuration conf) throws IOException {
      FileSystem fs = StorageUris.fileSystem(path, conf);
      try {
        return new Hadoop(fs, path, fs.open(path));
      } catch (org.apache.hadoop.security.AccessControlException e) {
        throw new UnreadableException(path.toString());
      } catch (FileNotFoundException e) {
        throw new GoneException(path.toString());
      }
    }

    @Override
    public PositionedInput input() {
      return new HadoopPositionedInput(in);
    }

    @Override
    public long[] sizeAndModificationTime() throws IOException {
      try {
        FileStatus st = fs.getFileStatus(path);
        return new long[] {st.getLen(), st.getModificationTime()};
      } catch (FileNotFoundException e) {
        throw new GoneException(path.toString());
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
