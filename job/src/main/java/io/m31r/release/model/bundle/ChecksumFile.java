package io.m31r.release.model.bundle;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.formats.StrictUtf8;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A bundle's {@code checksum.txt}, read with the one {@code sha256sum} grammar
 * ({@link Sha256sumListing#parseLine}). A line that breaks it makes the whole file untrustworthy,
 * and so does a name that would reach outside the bundle directory.
 */
public record ChecksumFile(Map<String, String> digestsByName) {
  public ChecksumFile {
    digestsByName = Collections.unmodifiableMap(new LinkedHashMap<>(digestsByName));
  }

  /**
   * Writes {@code dir/checksum.txt} over the bundle's runtime files ({@link ReleaseFiles#RUNTIME}),
   * all of which must be there; returns their digests by name.
   */
  public static SortedMap<String, String> writeForBundle(Path dir) {
    SortedMap<String, String> digests = new TreeMap<>();
    for (String name : ReleaseFiles.RUNTIME) {
      digests.put(name, FileDigests.sha256(dir.resolve(name)));
    }
    try {
      Files.writeString(dir.resolve(ReleaseFiles.CHECKSUM), Sha256sumListing.render(digests), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InfrastructureException("cannot write " + dir.resolve(ReleaseFiles.CHECKSUM) + ": " + e.getMessage(), e);
    }
    return digests;
  }

  public static ChecksumFile read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String text = StrictUtf8.decode(bytes)
        .orElseThrow(() -> new IntegrityException(ReleaseFiles.CHECKSUM + " is not valid UTF-8"));
    Map<String, String> digests = new LinkedHashMap<>();
    List<String> lines = Sha256sumListing.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      int number = i + 1;
      Sha256sumListing.Entry entry = Sha256sumListing.parseLine(lines.get(i)).orElseThrow(
          () -> new IntegrityException(ReleaseFiles.CHECKSUM + " line " + number + " is not " + Sha256sumListing.LINE_FORM));
      String name = entry.name();
      if (!isPlainRelative(name)) {
        throw new IntegrityException(ReleaseFiles.CHECKSUM + " line " + number + " names a path outside the bundle: " + name);
      }
      if (digests.put(name, entry.sha256()) != null) {
        throw new IntegrityException(ReleaseFiles.CHECKSUM + " lists " + name + " twice");
      }
    }
    if (digests.isEmpty()) {
      throw new IntegrityException(ReleaseFiles.CHECKSUM + " lists no files");
    }
    return new ChecksumFile(digests);
  }

  private static boolean isPlainRelative(String name) {
    if (name.startsWith("/") || name.contains("\\")) {
      return false;
    }
    for (String part : name.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }
}
