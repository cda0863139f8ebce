package io.m31r.release.freeze;

/**
 * Which files of a location make up the dataset. Recorded in the manifest, so that verification
 * selects exactly the same files.
 *
 * @param datasetUri the dataset as the user named it, qualified: a directory or a glob of shards
 * @param include an optional glob over paths relative to the root, or null for every file
 * @param followSymlinks whether symbolic links inside the root are followed (never out of it)
 */
public record DatasetSelection(String datasetUri, String include, boolean followSymlinks) {
  public DatasetSelection {
    if (datasetUri == null || datasetUri.isBlank()) {
      throw new IllegalArgumentException("dataset URI is required");
    }
    if (include != null && include.isBlank()) {
      include = null;
    }
  }
}
