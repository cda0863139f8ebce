package io.m31r.release.suite;

import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.hashing.Sha256;
import java.util.SortedMap;

/**
 * The suite digest, which says "same suite" between two reports.
 *
 * <p>Directory suites: every task file ({@code <category>/task_NNN/<file>}, the five files of every
 * task and nothing else) is hashed with SHA-256 and listed as {@code sha256sum} prints it,
 * {@code <hex>  <path>\n}, sorted by the byte order of the UTF-8 path; the digest is the SHA-256
 * of that listing. From the suite root it is
 * {@code find . -mindepth 3 -type f | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum | sha256sum}.
 *
 * <p>MultiPL-E suites: the SHA-256 of the JSONL file's bytes.
 */
public final class SuiteDigest {
  private SuiteDigest() {}

  /** @param fileDigests relative path to the hex SHA-256 of the file */
  public static String ofDirectory(SortedMap<String, String> fileDigests) {
    return Sha256sumListing.rootDigest(fileDigests);
  }

  public static String ofJsonl(byte[] content) {
    return Sha256.hex(content);
  }
}
