package io.m31r.release.cli;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.hashing.Hex;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.registry.ReleaseLocation;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.storage.ImmutableFileWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import io.m31r.release.version.Semver;
import org.apache.hadoop.fs.Path;

/**
 * The per-shard listing a release kept at {@code <root>/manifests/<version>.sha256}, trusted only
 * after its SHA-256 matches {@code dataset.manifest_sha256} of the release's metadata.json and its
 * root digest matches {@code dataset.root_sha256}: a file beside a release may be forged.
 */
record ReleasedListing(Map<String, String> shards, String datasetUri, String datasetVersion) {
  static ReleasedListing read(ReleaseRoot root, String version) {
    ReleaseLocation loc = root.find(Semver.parse(version))
        .orElseThrow(() -> new BadInputException("verify-dataset --release: no release " + version + " in " + root.path()));
    ReleaseMetadata m = root.metadata(loc);
    String want = m.dataset().manifestSha256();
    if (want == null) {
      throw new BadInputException("verify-dataset --release: release " + version
          + " was made before per-shard listings were kept; only its root digest " + m.datasetVersion() + " is known");
    }
    Path file = new Path(new Path(root.path(), "manifests"), version + ".sha256");
    byte[] bytes = new ImmutableFileWriter(root.conf()).readIfExists(file);
    if (bytes == null) {
      throw new IntegrityException(file + ": missing, but release " + version + " records its digest " + want);
    }
    String got = Sha256.hex(bytes);
    if (!got.equals(want)) {
      throw new IntegrityException(file + ": sha256 " + got + " is not the " + want + " that release " + version + " records");
    }
    Map<String, String> shards = Sha256sumListing.newSortedMap();
    for (String line : Sha256sumListing.lines(new String(bytes, StandardCharsets.UTF_8))) {
      int sep = line.indexOf("  ");
      if (sep != 64 || !Hex.isSha256(line.substring(0, 64))) {
        throw new IntegrityException(file + ": not a sha256sum line: " + line);
      }
      shards.put(line.substring(66), line.substring(0, 64));
    }
    String rootDigest = Sha256sumListing.rootDigest(new TreeMap<>(shards));
    if (!rootDigest.equals(m.dataset().rootSha256())) {
      throw new IntegrityException(file + ": its root digest " + rootDigest + " is not the release's " + m.dataset().rootSha256());
    }
    return new ReleasedListing(shards, m.dataset().uri(), m.datasetVersion());
  }
}
