package io.m31r.release.freeze;

import io.m31r.release.config.FreezeSettings;
import io.m31r.release.hashing.ShardDigest;
import io.m31r.release.storage.ImmutableFileWriter;
import io.m31r.release.storage.StorageUris;
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

  public record Result(DatasetManifest manifest, String datasetUri, List<Changed> changed, List<String> missing, List<String> extra) {
    public boolean identical() {
      return changed.isEmpty() && missing.isEmpty() && extra.isEmpty();
    }
  }

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
    ShardHashJob hashJob = new ShardHashJob(spark, settings, progress);
    hashJob.warmUp();
    FreezePlan plan = new ShardPlanner(conf).plan(ResolvedSelection.resolve(selection, conf), true);

    Map<String, PlannedShard> present = new TreeMap<>();
    plan.shards().forEach(s -> present.put(s.path(), s));
    List<Changed> changed = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<PlannedShard> toHash = new ArrayList<>();
    Map<String, DatasetManifest.Shard> expected = new TreeMap<>();
    for (DatasetManifest.Shard s : manifest.shards()) {
      expected.put(s.path(), s);
      PlannedShard now = present.get(s.path());
      if (now == null) {
        missing.add(s.path());
      } else if (now.size() != s.size()) {
        changed.add(new Changed(s.path(), s.size(), now.size(), s.sha256(), null));
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
      DatasetManifest.Shard want = expected.get(s.path());
      ShardDigest got = digests.get(s.path());
      if (!got.sha256().equals(want.sha256())) {
        changed.add(new Changed(s.path(), want.size(), got.size(), want.sha256(), got.sha256()));
      }
    }
    changed.sort((a, b) -> io.m31r.release.formats.Sha256sumListing.compareUtf8(a.path(), b.path()));
    return new Result(manifest, plan.selection().datasetUri(), changed, missing, extra);
  }
}
