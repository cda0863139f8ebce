package io.m31r.release.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path tmp;

  /** A tree with a read-only folder, a read-only file and links to a read-only file and folder outside it. */
  private Path tree() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Path keep = Files.writeString(outside.resolve("keep.txt"), "mine");
    Files.setPosixFilePermissions(keep, PosixFilePermissions.fromString("r--r--r--"));
    Path dir = Files.createDirectories(tmp.resolve("tree/a/b"));
    Files.writeString(dir.resolve("f"), "x");
    Files.setPosixFilePermissions(dir.resolve("f"), PosixFilePermissions.fromString("r--------"));
    Files.createSymbolicLink(dir.resolve("to-file"), keep);
    Files.createSymbolicLink(dir.resolve("to-dir"), outside);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
    return tmp.resolve("tree");
  }

  private void assertOutsideUntouched() throws Exception {
    Path keep = tmp.resolve("outside/keep.txt");
    assertEquals("mine", Files.readString(keep));
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(keep)), "a link's target keeps its mode");
  }

  @Test
  void deleteRemovesEverythingBelowAndFollowsNoLink() throws Exception {
    Path tree = tree();
    FileTrees.delete(tree);
    assertFalse(Files.exists(tree));
    assertOutsideUntouched();
    FileTrees.delete(tree);
  }

  @Test
  void deleteQuietlyRemovesTheSameAndIgnoresWhatIsMissing() throws Exception {
    Path tree = tree();
    FileTrees.deleteQuietly(tree);
    assertFalse(Files.exists(tree));
    assertOutsideUntouched();
    FileTrees.deleteQuietly(tree);
    FileTrees.deleteQuietly(null);
    assertTrue(Files.isDirectory(tmp.resolve("outside")));
  }
}
