package io.m31r.release.signing;

import io.m31r.release.version.Semver;
import org.apache.hadoop.fs.Path;

/**
 * Where a release's signature and provenance live: {@code <root>/signatures/<version>.sig} and
 * {@code <root>/signatures/<version>.provenance.json}, beside the release and never inside it, so
 * the release keeps exactly its six files. Experiments sit one level deeper but share the folder.
 */
public record SignatureFiles(Path signature, Path provenance) {
  public static final String FOLDER = "signatures";

  public static SignatureFiles under(Path root, Semver version) {
    Path dir = new Path(root, FOLDER);
    return new SignatureFiles(new Path(dir, version + ".sig"), new Path(dir, version + ".provenance.json"));
  }

  /** For a release directory {@code <root>/<version>} or {@code <root>/experiments/<version>}. */
  public static SignatureFiles forReleaseDir(Path releaseDir) {
    Path parent = releaseDir.getParent();
    Path root = parent != null && "experiments".equals(parent.getName()) && parent.getParent() != null ? parent.getParent() : parent;
    return under(root, Semver.parse(releaseDir.getName()));
  }
}
