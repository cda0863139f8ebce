package io.m31r.release.hadoop;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Turns what a user typed ({@code /data/x}, {@code file:/data/x}, {@code hdfs://nn/x},
 * {@code s3a://bucket/x}) into a fully qualified Hadoop path, refusing unknown schemes before any
 * I/O.
 */
public final class StorageUris {
  private StorageUris() {}

  /** A qualified path; plain paths become absolute {@code file:} URIs. */
  public static Path resolve(String what, String text, Configuration conf) {
    if (text == null || text.isBlank()) {
      throw new BadInputException(what + ": empty location");
    }
    URI uri;
    try {
      uri = new URI(text.replace(" ", "%20"));
    } catch (URISyntaxException e) {
      throw new BadInputException(what + ": not a valid URI: " + text);
    }
    if (uri.getScheme() == null) {
      return localPath(Paths.get(text));
    }
    String scheme = uri.getScheme();
    try {
      FileSystem.getFileSystemClass(scheme, conf);
    } catch (IOException e) {
      throw new BadInputException(
          what + ": no Hadoop file system for scheme '" + scheme + "' (" + text + ")");
    }
    if (scheme.equals("file")) {
      return localPath(Paths.get(uri.getPath()));
    }
    return new Path(uri);
  }

  /** {@code file:/abs/path}, normalised, without the trailing '/' a directory URI would get. */
  private static Path localPath(java.nio.file.Path p) {
    return new Path("file", null, p.toAbsolutePath().normalize().toString());
  }

  /**
   * The file system of a path; the local one unwrapped from its checksum layer, which would
   * otherwise look for {@code .crc} side files and read through an extra copy.
   */
  public static FileSystem fileSystem(Path path, Configuration conf) {
    try {
      FileSystem fs = path.getFileSystem(conf);
      return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    } catch (IOException e) {
      throw new InfrastructureException(
          "cannot reach the file system of " + path + ": " + e.getMessage(), e);
    }
  }

  public static boolean isLocal(Path path) {
    return "file".equals(path.toUri().getScheme());
  }

  public static java.nio.file.Path toLocal(Path path) {
    return Paths.get(path.toUri());
  }

  /** True when {@code child} is {@code root} itself or lies beneath it. */
  public static boolean isWithin(Path child, Path root) {
    String c = child.toUri().normalize().toString();
    String r = root.toUri().normalize().toString();
    String base = r.endsWith("/") ? r : r + "/";
    return c.equals(r) || c.startsWith(base);
  }
}
