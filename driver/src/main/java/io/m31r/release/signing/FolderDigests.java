package io.m31r.release.signing;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.hadoop.StorageUris;
import io.m31r.release.hashing.Sha256;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * model_signing's {@code files} serialization of a folder on any store: the SHA-256 of every
 * regular file below it, by POSIX path relative to it, minus ignored paths (a path is ignored when
 * it equals an ignore entry or lies below one). Directories are not listed; a symbolic link is an
 * error, as it is for model_signing without {@code allow_symlinks}.
 */
public final class FolderDigests {
  /** Paths model_signing always ignores and records in {@code ignore_paths}. */
  public static final List<String> GIT_PATHS = List.of(".git", ".gitattributes", ".github", ".gitignore");

  private FolderDigests() {}

  /** Relative POSIX path to lowercase hex SHA-256, in model_signing's resource order. */
  public static Map<String, String> of(Path dir, Configuration conf, Collection<String> ignore) {
    FileSystem fs = StorageUris.fileSystem(dir, conf);
    Map<String, String> out = new TreeMap<>(ResourceOrder.COMPARATOR);
    try {
      if (!fs.getFileStatus(dir).isDirectory()) {
        throw new BadInputException(dir + " is not a directory");
      }
      walk(fs, dir, "", ignore, out);
    } catch (FileNotFoundException e) {
      throw new BadInputException("no directory at " + dir);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static void walk(FileSystem fs, Path dir, String prefix, Collection<String> ignore, Map<String, String> out)
      throws IOException {
    List<FileStatus> entries = new ArrayList<>(List.of(fs.listStatus(dir)));
    for (FileStatus s : entries) {
      String rel = prefix + s.getPath().getName();
      if (ignored(rel, ignore)) {
        continue;
      }
      if (s.isSymlink() || isLocalSymlink(s.getPath())) {
        throw new BadInputException(s.getPath() + " is a symbolic link; signed folders hold regular files only");
      }
      if (s.isDirectory()) {
        walk(fs, s.getPath(), rel + "/", ignore, out);
      } else if (s.isFile()) {
        out.put(rel, digest(fs, s.getPath()));
      }
    }
  }

  static boolean ignored(String rel, Collection<String> ignore) {
    for (String i : ignore) {
      if (rel.equals(i) || rel.startsWith(i + "/")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isLocalSymlink(Path p) {
    return StorageUris.isLocal(p) && java.nio.file.Files.isSymbolicLink(StorageUris.toLocal(p));
  }

  private static String digest(FileSystem fs, Path file) throws IOException {
    MessageDigest md = Sha256.newDigest();
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = fs.open(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
