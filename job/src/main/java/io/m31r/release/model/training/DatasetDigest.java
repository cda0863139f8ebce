package io.m31r.release.model.training;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.model.bundle.FileDigests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The root digest of a local dataset directory computed the way {@code m31r freeze} computes a
 * manifest's {@code root_sha256} (SHA-256 of the {@code sha256sum} listing of every file, names
 * relative to the root), so that a checkpoint's recorded dataset can be compared with the frozen
 * one without running Spark.
 */
public final class DatasetDigest {
  private DatasetDigest() {}

  public static String rootSha256(Path dir) {
    SortedMap<String, String> digests = new TreeMap<>();
    for (String name : files(dir)) {
      digests.put(name, FileDigests.sha256(dir.resolve(name)));
    }
    return Sha256sumListing.rootDigest(digests);
  }

  /** The names the digest covers: every regular file under {@code dir}, '/'-separated, relative to it, sorted. */
  public static List<String> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BadInputException("dataset directory " + dir + " does not exist");
    }
    List<String> names;
    try (Stream<Path> walk = Files.walk(dir)) {
      names = walk.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString().replace('\\', '/')).sorted().toList();
    } catch (IOException e) {
      throw new InfrastructureException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    if (names.isEmpty()) {
      throw new BadInputException("dataset directory " + dir + " holds no files");
    }
    return names;
  }
}
