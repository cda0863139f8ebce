package io.m31r.release.testing;

import io.m31r.release.hashing.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a folder holds, for tests asserting that a refusal changed nothing. */
public final class TreeDigests {
  private TreeDigests() {}

  /**
   * Every entry under {@code dir} by relative name: folders as {@code dir}, files by the SHA-256 of
   * their bytes; null when {@code dir} does not exist. Only the git database is left out of a
   * work tree, since reading the status may refresh its index.
   */
  public static Map<String, String> of(Path dir, boolean skipGitDatabase) throws IOException {
    if (!Files.exists(dir)) {
      return null;
    }
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String name = dir.relativize(p).toString();
        if (skipGitDatabase && (name.equals(".git") || name.startsWith(".git/"))) {
          continue;
        }
        out.put(name, Files.isDirectory(p) ? "dir" : Sha256.hex(Files.readAllBytes(p)));
      }
    }
    return out;
  }
}
