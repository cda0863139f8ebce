package io.m31r.release.freeze;

import io.m31r.release.config.FreezeSettings;
import io.m31r.release.hadoop.StorageUris;
import io.m31r.release.hashing.ShardDigest;
import io.m31r.release.storage.ImmutableFileWriter;
import io.m31r.release.tasks.freeze.PlannedShard;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Re-hashes a frozen dataset and names every shard that changed, went missing or appeared.
 * Selection (include glob, symlink policy) comes from the manifest, so the same files are chosen.
 */
public final class DatasetVerifyJob {
  public record Changed(String path, long expectedSize, long actualSize, String expectedSha256, String actualSha256) {}

  /**
   * @param datasetVersion {@code sha256:<root>} of what was expected
   * @param shardCount the number of shards expected
   */
  public record Result(
      String datasetVersion, int shardCount, String datasetUri, List<Changed> changed, List<String> missing, List<String> extra) {
    public boolean identical() {
      return changed.isEmpty() && missing.isEmpty() && extra.isEmpty();
    }
  }

  /**
   * One expected shard: its digest, and its size when the source records it (a freeze manifest
   * does, a release's sha256sum listing does not: then every present shard is hashed).
   */
  private record Expected(String sha256, Long size) {}

  private final SparkSession spark;
  private final FreezeSettings settings;
  private final PrintStream progress;

  public DatasetVerifyJob(SparkSession spark, FreezeSettings settings, PrintStream progress) {
    this.spark = spark;
    this.settings = settings;
    this.progress = progress;
  }

  /** @param datasetOverride a dataset location to check instead of the recorded one, or null */
  public Result run(String manifestUri, String datasetOverride) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path manifestPath = StorageUris.resolve("--manifest", manifestUri, conf);
    byte[] bytes = new ImmutableFileWriter(conf).readIfExists(manifestPath);
    if (bytes == null) {
      throw new io.m31r.release.failure.BadInputException("manifest " + manifestPath + ": not found");
    }
    DatasetManifest manifest = ManifestCodec.decode(manifestPath.toString(), bytes);
    DatasetSelection recorded = manifest.selection();
    DatasetSelection selection =
        datasetOverride == null
            ? recorded
            : new DatasetSelection(datasetOverride, recorded.include(), recorded.followSymlinks());
    Map<String, Expected> expected = new TreeMap<>();
    manifest.shards().forEach(sh -> expected.put(sh.path(), new Expected(sh.sha256(), sh.size())));
    return compare(selection, expected, manifest.datasetVersion());
  }

  /**
   * Against a release's kept listing ({@code path -> sha256}, checked by the caller against the
   * release's metadata) of the dataset at {@code datasetUri}, selected as export selects it.
   */
  public Result runListing(Map<String, String> listing, String datasetUri, String datasetVersion) {
    Map<String, Expected> expected = new TreeMap<>();
    listing.forEach((path, sha) -> expected.put(path, new Expected(sha, null)));
    return compare(new DatasetSelection(datasetUri, null, false), expected, datasetVersion);
  }

  private Result compare(DatasetSelection selection, Map<String, Expected> expected, String datasetVersion) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ShardHashJob hashJob = new ShardHashJob(spark, settings, progress);
    hashJob.warmUp();
    FreezePlan plan = new ShardPlanner(conf).plan(ResolvedSelection.resolve(selection, conf), true);

    Map<String, PlannedShard> present = new TreeMap<>();
    plan.shards().forEach(s -> present.put(s.path(), s));
    List<Changed> changed = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<PlannedShard> toHash = new ArrayList<>();
    for (Map.Entry<String, Expected> e : expected.entrySet()) {
      Expected s = e.getValue();
      PlannedShard now = present.get(e.getKey());
      if (now == null) {
        missing.add(e.getKey());
      } else if (s.size() != null && now.size() != s.size()) {
        changed.add(new Changed(e.getKey(), s.size(), now.size(), s.sha256(), null));
      } else {
        toHash.add(now);
      }
    }
    List<String> extra = new ArrayList<>();
    for (String p : present.keySet()) {
      if (!expected.containsKey(p)) {
        extra.add(p);
      }
    }
    SortedMap<String, ShardDigest> digests =
        toHash.isEmpty() ? new TreeMap<>() : hashJob.hash("verify-dataset", toHash);
    for (PlannedShard s : toHash) {
      Expected want = expected.get(s.path());
      ShardDigest got = digests.get(s.path());
      if (!got.sha256().equals(want.sha256())) {
        long wantSize = want.size() != null ? want.size() : got.size();
        changed.add(new Changed(s.path(), wantSize, got.size(), want.sha256(), got.sha256()));
      }
    }
    changed.sort((a, b) -> io.m31r.release.formats.Sha256sumListing.compareUtf8(a.path(), b.path()));
    missing.sort(io.m31r.release.formats.Sha256sumListing::compareUtf8);
    return new Result(datasetVersion, expected.size(), plan.selection().datasetUri(), changed, missing, extra);
  }
}
