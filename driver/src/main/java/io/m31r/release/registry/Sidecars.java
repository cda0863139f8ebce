package io.m31r.release.registry;

import io.m31r.release.hashing.Sha256;
import io.m31r.release.version.Semver;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;

/**
 * The files other parts of the export write beside a release (signatures, dataset manifests),
 * outside its six-file folder. A publish record pins the SHA-256 of each one that exists, so a
 * sidecar swapped later is detected by {@code verify}; one added later is not covered.
 */
public final class Sidecars {
  private Sidecars() {}

  /** Root-relative locations a version's sidecars may have. */
  public static List<String> candidates(Semver version) {
    return List.of(
        "manifests/" + version + ".sha256",
        "signatures/" + version + ".provenance.json",
        "signatures/" + version + ".sig");
  }

  static boolean isSidecarOf(String relative, Semver version) {
    return candidates(version).contains(relative);
  }

  /** SHA-256 of each candidate that exists now. */
  public static Map<String, String> present(ReleaseRoot root, Semver version) {
    Map<String, String> out = new TreeMap<>();
    ControlFiles files = new ControlFiles(root.conf());
    for (String rel : candidates(version)) {
      files.read(new Path(root.path(), rel)).ifPresent(b -> out.put(rel, Sha256.hex(b)));
    }
    return out;
  }
}
