package io.m31r.release.freeze;

import io.m31r.release.config.FreezeSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.hadoop.SerializableHadoopConf;
import io.m31r.release.hashing.ShardDigest;
import io.m31r.release.spark.ProgressReporter;
import io.m31r.release.spark.SparkJobs;
import io.m31r.release.tasks.freeze.HashOutcome;
import io.m31r.release.tasks.freeze.PlannedShard;
import io.m31r.release.tasks.freeze.ShardHashTask;
import io.m31r.release.tasks.freeze.WarmUpTask;
import java.io.PrintStream;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/** The Spark part of freezing and verifying: hash planned shards in parallel on the executors. */
public final class ShardHashJob {
  private final SparkSession spark;
  private final FreezeSettings settings;
  private final PrintStream progress;

  /** @param progress where progress lines go, or null for none */
  public ShardHashJob(SparkSession spark, FreezeSettings settings, PrintStream progress) {
    this.spark = spark;
    this.settings = settings;
    this.progress = progress;
  }

  /**
   * Starts, without waiting, one warm-up task per core (see {@link WarmUpTask}), so that Spark's
   * first-job costs overlap the driver's listing. Measured on 20,000 small files (2 cores): the
   * hash phase fell from 1.39 s to 1.00 s while listing rose from 0.33 s to 0.62 s, since both
   * share the cores: a small net gain of listing plus hashing (1.72 s to 1.63 s).
   */
  public void warmUp() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slots = Math.max(1, jsc.defaultParallelism());
    jsc.setJobDescription("m31r: warm up executors");
    try {
      jsc.parallelize(java.util.stream.IntStream.range(0, slots).boxed().toList(), slots)
          .foreachPartitionAsync(new WarmUpTask(settings.bufferBytes()));
    } finally {
      jsc.setJobDescription(null);
    }
  }

  /** Digests by shard path, in listing order; failures become the contract's exceptions. */
  public SortedMap<String, ShardDigest> hash(String stage, List<PlannedShard> shards) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<List<PlannedShard>> packed =
        ShardPacker.pack(shards, binCount(shards, jsc.defaultParallelism(), settings.tasksPerCore(), settings.minTaskBytes()));
    long total = shards.stream().mapToLong(PlannedShard::size).sum();
    LongAccumulator bytes = jsc.sc().longAccumulator("m31r." + stage + ".bytes");
    jsc.setJobDescription("m31r " + stage + ": hash " + shards.size() + " shards");

    List<HashOutcome> outcomes;
    try (ProgressReporter ignored =
        progress == null
            ? ProgressReporter.quiet(stage, total)
            : ProgressReporter.start(
                stage, total, bytes::value, progress, settings.progressIntervalSeconds() * 1000L)) {
      ShardHashTask task =
          new ShardHashTask(new SerializableHadoopConf(jsc.hadoopConfiguration()), settings.bufferBytes(), bytes);
      outcomes = SparkJobs.run(stage, () -> jsc.parallelize(packed, packed.size()).mapPartitions(task).collect());
    } finally {
      jsc.setJobDescription(null);
    }
    return collect(outcomes);
  }

  /** Opening a file costs about as much as hashing this many bytes (measured on local disks). */
  static final long OPEN_COST_BYTES = 64L << 10;

  /**
   * Enough tasks to keep every core busy and balance the tail, but no task so small that Spark's
   * per-task cost (serialisation, scheduling, ~ms) outweighs its work: a 12 KiB sample is one task.
   */
  static int binCount(List<PlannedShard> shards, int parallelism, int tasksPerCore, long minTaskBytes) {
    long work = 0;
    for (PlannedShard s : shards) {
      work += s.size() + OPEN_COST_BYTES;
    }
    long byWork = Math.max(1, (work + minTaskBytes - 1) / minTaskBytes);
    return (int) Math.min(byWork, (long) Math.max(1, parallelism) * tasksPerCore);
  }

  private static SortedMap<String, ShardDigest> collect(List<HashOutcome> outcomes) {
    TreeMap<String, ShardDigest> digests = Sha256sumListing.newSortedMap();
    TreeMap<String, HashOutcome> failures = Sha256sumListing.newSortedMap();
    for (HashOutcome o : outcomes) {
      if (o.succeeded()) {
        digests.put(o.path(), o.digest());
      } else {
        failures.put(o.path(), o);
      }
    }
    if (!failures.isEmpty()) {
      HashOutcome first = failures.firstEntry().getValue();
      String more = failures.size() > 1 ? " (and " + (failures.size() - 1) + " more shard(s))" : "";
      throw switch (first.failure()) {
        case CHANGED -> new IntegrityException(first.message() + more);
        case UNREADABLE -> new BadInputException(first.message() + more);
      };
    }
    return digests;
  }
}
