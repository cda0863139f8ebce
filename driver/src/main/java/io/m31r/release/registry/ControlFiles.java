package io.m31r.release.registry;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.OutcomeUnknownException;
import io.m31r.release.hadoop.StorageUris;
import io.m31r.release.storage.ImmutableFileWriter;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * The registry's small mutable files ({@code index.json}, {@code CURRENT}, the rollback pin):
 * replaced whole, so a reader sees the old content or the new, never a mix. Local files and HDFS
 * get a temporary file renamed over the target; object stores a single PUT.
 */
final class ControlFiles {
  private final Configuration conf;

  ControlFiles(Configuration conf) {
    this.conf = conf;
  }

  Optional<byte[]> read(Path file) {
    FileSystem fs = StorageUris.fileSystem(file, conf);
    try (InputStream in = fs.open(file)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return Optional.of(out.toByteArray());
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  void replace(Path file, byte[] content) {
    FileSystem fs = StorageUris.fileSystem(file, conf);
    try {
      if (StorageUris.isLocal(file)) {
        replaceLocal(StorageUris.toLocal(file), content);
      } else if (ImmutableFileWriter.isObjectStore(fs, file)) {
        try (OutputStream out = fs.create(file, true)) {
          out.write(content);
        }
      } else {
        replaceByRename(fs, file, content);
      }
    } catch (IOException e) {
      throw new OutcomeUnknownException(
          "replacing " + file + " failed (" + e.getMessage() + "); it holds the old or the new content", e);
    }
  }

  private static void replaceLocal(java.nio.file.Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent());
    java.nio.file.Path temp = file.resolveSibling("." + file.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      Files.write(temp, content);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private void replaceByRename(FileSystem fs, Path file, byte[] content) throws IOException {
    fs.mkdirs(file.getParent());
    Path temp = new Path(file.getParent(), "." + file.getName() + ".tmp-" + UUID.randomUUID());
    try {
      try (FSDataOutputStream out = fs.create(temp, false)) {
        out.write(content);
        out.hsync();
      }
      FileContext.getFileContext(file.toUri(), conf).rename(temp, file, Options.Rename.OVERWRITE);
    } finally {
      fs.delete(temp, false);
    }
  }

  void delete(Path file) {
    try {
      StorageUris.fileSystem(file, conf).delete(file, false);
    } catch (IOException e) {
      throw new OutcomeUnknownException("removing " + file + " failed (" + e.getMessage() + "); it may still be there", e);
    }
  }
}
