package io.m31r.release.freeze;

import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.hashing.Hex;
import io.m31r.release.hashing.ShardDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A frozen dataset: every shard's size and SHA-256, and the root digest that names the dataset
 * version. The root digest is the SHA-256 of the {@code sha256sum} listing of the shards, so it can
 * be recomputed without this tool.
 */
public record DatasetManifest(
    int formatVersion, DatasetSelection selection, String rootSha256, List<Shard> shards) {

  public static final int FORMAT_VERSION = 1;

  /** One shard: raw-byte digest plus optional format-aware counts (records, tokens). */
  public record Shard(String path, long size, String sha256, Map<String, Long> counts) {
    public Shard {
      Sha256sumListing.checkName(path);
      if (size < 0 || !Hex.isSha256(sha256)) {
        throw new IllegalArgumentException("invalid shard entry " + path);
      }
      counts = Map.copyOf(new TreeMap<>(counts));
    }
  }

  public DatasetManifest {
    shards = List.copyOf(shards);
  }

  public static DatasetManifest of(DatasetSelection selection, SortedMap<String, ShardDigest> digests) {
    List<Shard> shards = new ArrayList<>();
    for (var e : digests.entrySet()) {
      ShardDigest d = e.getValue();
      shards.add(new Shard(e.getKey(), d.size(), d.sha256(), d.counts()));
    }
    shards.sort((a, b) -> Sha256sumListing.compareUtf8(a.path(), b.path()));
    return new DatasetManifest(FORMAT_VERSION, selection, rootOf(shards), shards);
  }

  /** The root digest a shard list gives: SHA-256 of its {@code sha256sum} listing. */
  static String rootOf(List<Shard> shards) {
    return Sha256sumListing.rootDigest(hexByPath(shards));
  }

  private static TreeMap<String, String> hexByPath(List<Shard> shards) {
    TreeMap<String, String> hexByPath = Sha256sumListing.newSortedMap();
    shards.forEach(s -> hexByPath.put(s.path(), s.sha256()));
    return hexByPath;
  }

  public int shardCount() {
    return shards.size();
  }

  public long totalBytes() {
    return shards.stream().mapToLong(Shard::size).sum();
  }

  /** The dataset version a release records: {@code sha256:<root>}. */
  public String datasetVersion() {
    return "sha256:" + rootSha256;
  }

  /** The {@code sha256sum -c} listing, relative to the dataset root. */
  public String sha256sumListing() {
    return Sha256sumListing.render(hexByPath(shards));
  }
}
