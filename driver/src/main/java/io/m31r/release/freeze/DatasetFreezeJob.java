package io.m31r.release.freeze;

import io.m31r.release.config.FreezeSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.hadoop.StorageUris;
import io.m31r.release.hashing.ShardDigest;
import io.m31r.release.storage.ImmutableFileWriter;
import io.m31r.release.storage.WriteOutcome;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Freezes a dataset: list on the driver, hash on the executors, write an immutable manifest (and
 * optionally a {@code sha256sum} listing). Nothing is written unless every shard hashed cleanly and
 * neither output exists with other content.
 */
public final class DatasetFreezeJob {
  /**
   * @param manifestOut where the manifest goes (any supported URI)
   * @param sha256sumOut where the {@code sha256sum -c} listing goes, or null for none
   */
  public record Request(DatasetSelection selection, String manifestOut, String sha256sumOut) {}

  public record Result(
      DatasetManifest manifest,
      Path manifestPath,
      WriteOutcome manifestOutcome,
      Path listingPath,
      WriteOutcome listingOutcome,
      double planSeconds,
      double hashSeconds) {}

  private final SparkSession spark;
  private final FreezeSettings settings;
  private final PrintStream progress;

  public DatasetFreezeJob(SparkSession spark, FreezeSettings settings, PrintStream progress) {
    this.spark = spark;
    this.settings = settings;
    this.progress = progress;
  }

  public Result run(Request request) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ResolvedSelection selection = ResolvedSelection.resolve(request.selection(), conf);
    Path manifestPath = StorageUris.resolve("--out", request.manifestOut(), conf);
    Path listingPath =
        request.sha256sumOut() == null ? null : StorageUris.resolve("--sha256sum", request.sha256sumOut(), conf);
    Path root = selection.root();
    refuseInside(root, manifestPath, "--out");
    if (listingPath != null) {
      refuseInside(root, listingPath, "--sha256sum");
      if (listingPath.equals(manifestPath)) {
        throw new BadInputException("--sha256sum and --out name the same file: " + manifestPath);
      }
    }

    ShardHashJob hashJob = new ShardHashJob(spark, settings, progress);
    hashJob.warmUp();
    long t0 = System.nanoTime();
    FreezePlan plan = new ShardPlanner(conf).plan(selection, false);
    long t1 = System.nanoTime();
    SortedMap<String, ShardDigest> digests = hashJob.hash("freeze", plan.shards());
    long t2 = System.nanoTime();

    DatasetManifest manifest = DatasetManifest.of(plan.selection(), digests);
    byte[] manifestBytes = ManifestCodec.encode(manifest);
    byte[] listingBytes = manifest.sha256sumListing().getBytes(StandardCharsets.UTF_8);
    ImmutableFileWriter writer = new ImmutableFileWriter(conf);
    // Check both targets before writing either, so a conflict on the second leaves no first.
    writer.checkWritable(manifestPath, manifestBytes);
    if (listingPath != null) {
      writer.checkWritable(listingPath, listingBytes);
    }
    WriteOutcome manifestOutcome = writer.write(manifestPath, manifestBytes);
    WriteOutcome listingOutcome = listingPath == null ? null : writer.write(listingPath, listingBytes);
    return new Result(
        manifest, manifestPath, manifestOutcome, listingPath, listingOutcome,
        (t1 - t0) / 1e9, (t2 - t1) / 1e9);
  }

  /** Writing into the dataset would change the dataset being frozen. */
  private static void refuseInside(Path root, Path out, String option) {
    if (StorageUris.isWithin(out, root)) {
      throw new BadInputException(
          option + " " + out + " lies inside the dataset " + root + ": it would change the dataset it describes");
    }
  }
}
