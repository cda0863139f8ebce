package io.m31r.release.packaging;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;

/**
 * A complete release directory on local disk, not yet published.
 *
 * @param sha256ByFile digest of each file {@code checksum.txt} covers
 * @param checksumSha256 digest of {@code checksum.txt} itself: the release's one identifying hash
 */
public record StagedRelease(Path dir, SortedMap<String, String> sha256ByFile, String checksumSha256) {
  public StagedRelease {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(checksumSha256, "checksumSha256");
    SortedMap<String, String> copy = io.m31r.release.formats.Sha256sumListing.newSortedMap();
    copy.putAll(sha256ByFile);
    sha256ByFile = Collections.unmodifiableSortedMap(copy);
  }
}
