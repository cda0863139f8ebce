package io.m31r.release.pipeline;

import io.m31r.release.hashing.Sha256;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.storage.ImmutableFileWriter;
import io.m31r.release.storage.WriteOutcome;
import io.m31r.release.version.Semver;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.Path;

/**
 * The per-shard dataset listing ({@code sha256sum} format, paths relative to the dataset root),
 * kept beside the release at {@code <root>/manifests/<version>.sha256}: not one of the six release
 * files, but recorded by digest in metadata.json ({@code dataset.manifest_sha256}), so that drift
 * found later ({@code m31r verify-dataset --release}) is traced to shards. Written before publish
 * with the immutable writer: a rerun writing the same bytes is accepted, other bytes are a conflict.
 */
final class DatasetManifestSidecar {
  static final String DIR = "manifests";

  private DatasetManifestSidecar() {}

  static Path location(ReleaseRoot root, Semver version) {
    return new Path(new Path(root.path(), DIR), version + ".sha256");
  }

  static String digest(String listing) {
    return Sha256.hex(listing);
  }

  static void write(ReleaseRoot root, Semver version, String listing) {
    Path target = location(root, version);
    // Different bytes already there raise the writer's own conflict (exit 5).
    WriteOutcome ignored = new ImmutableFileWriter(root.conf()).write(target, listing.getBytes(StandardCharsets.UTF_8));
  }
}
