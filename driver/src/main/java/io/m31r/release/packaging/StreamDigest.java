package io.m31r.release.packaging;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.hadoop.StorageUris;
import io.m31r.release.hashing.Hex;
import io.m31r.release.hashing.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** SHA-256 of a whole file read as a stream, optionally copying the bytes on the way. */
public final class StreamDigest {
  // Larger buffers were measurably slower with the SHA instructions here (docs/performance.md).
  private static final int BUFFER = 64 * 1024;

  private StreamDigest() {}

  public static String of(java.nio.file.Path file) {
    return copyAndDigest(file, null);
  }

  /** Hashes the local {@code file} and writes the same bytes to {@code copy} when it is not null. */
  public static String copyAndDigest(java.nio.file.Path file, OutputStream copy) {
    try (InputStream in = Files.newInputStream(file)) {
      return digest(in, copy);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public static String of(Path file, Configuration conf) {
    return copyAndDigest(file, conf, null);
  }

  /** Hashes {@code file} and writes the same bytes to {@code copy} when it is not null. */
  public static String copyAndDigest(Path file, Configuration conf, OutputStream copy) {
    try (InputStream in = StorageUris.fileSystem(file, conf).open(file)) {
      return digest(in, copy);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String digest(InputStream in, OutputStream copy) throws IOException {
    MessageDigest md = Sha256.newDigest();
    byte[] buf = new byte[BUFFER];
    int n;
    while ((n = in.read(buf)) >= 0) {
      md.update(buf, 0, n);
      if (copy != null) {
        copy.write(buf, 0, n);
      }
    }
    return Hex.of(md.digest());
  }
}
