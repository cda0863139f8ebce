package io.m31r.release.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removes a local folder and everything below it. Links are removed, never followed. A folder made
 * read-only below it (a staged release copy, a judged sample's box) is opened for its owner first,
 * because removing an entry needs write access to its folder; nothing outside the tree is touched.
 */
public final class FileTrees {
  private FileTrees() {}

  /** Removes {@code dir} if it exists; the first failure is thrown. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    for (Path p : deepestFirst(dir)) {
      remove(p, dir);
    }
  }

  /**
   * Removes what it can of {@code dir} and ignores the rest: for temporary folders, where a
   * leftover changes no result.
   */
  public static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> all;
    try {
      all = deepestFirst(dir);
    } catch (IOException | UncheckedIOException e) {
      return;
    }
    for (Path p : all) {
      try {
        remove(p, dir);
      } catch (IOException e) {
        // Left behind; see the method comment.
      }
    }
  }

  private static List<Path> deepestFirst(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.sorted(Comparator.reverseOrder()).toList();
    }
  }

  private static void remove(Path p, Path top) throws IOException {
    Path parent = p.getParent();
    if (!p.equals(top) && parent != null && Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
      parent.toFile().setWritable(true, true);
      parent.toFile().setExecutable(true, true);
    }
    Files.deleteIfExists(p);
  }
}
