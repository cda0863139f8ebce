package io.m31r.release.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Loads a suite from a local path: a directory is an M31R suite, a {@code .jsonl} file a MultiPL-E
 * one. The suite is read on the driver and shipped to executors with the work, so that every
 * executor evaluates exactly the bytes the digest describes.
 */
public final class SuiteLoader {
  public BenchSuite load(Path path) {
    if (Files.isDirectory(path)) {
      Path root;
      try {
        root = path.toRealPath();
      } catch (IOException e) {
        throw new MalformedSuiteException("suite " + path + ": unreadable: " + e.getMessage(), e);
      }
      return new DirectorySuiteReader().read(root);
    }
    if (Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jsonl")) {
      try (var in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
        return new MultiplEReader().read(path.getFileName().toString(), in.readAllBytes());
      } catch (IOException e) {
        throw new MalformedSuiteException("suite " + path + ": unreadable: " + e.getMessage(), e);
      }
    }
    throw new MalformedSuiteException(
        "suite " + path + ": neither a suite folder (<category>/task_NNN/) nor a MultiPL-E .jsonl file");
  }
}
