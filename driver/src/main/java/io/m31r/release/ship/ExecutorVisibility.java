package io.m31r.release.ship;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.hadoop.SerializableHadoopConf;
import io.m31r.release.hashing.Hex;
import io.m31r.release.process.LocalHost;
import io.m31r.release.spark.SparkJobs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Detects what the executors can see instead of guessing: a file the driver knows the digest of
 * is read back by a task on every executor. A location that some executor cannot read (a driver's
 * /tmp on a multi-host cluster) is refused before any heavy work, with exit 2: a retry cannot fix
 * a storage layout. A {@code file:} location on a mount all hosts share passes like hdfs: or s3a:.
 */
public final class ExecutorVisibility {
  /** Rounds of probe tasks before an executor that never got one is reported as unreached. */
  private static final int ROUNDS = 4;

  private ExecutorVisibility() {}

  /** One executor's answer: its id, its host, and what it could not read (empty: all seen). */
  record Report(String executorId, String host, List<String> failures) implements Serializable {}

  /**
   * Writes a nonce file in {@code area} (creating it), has every executor read it back, removes
   * it. Throws {@link BadInputException} naming the first executor that could not see it, or
   * {@link InfrastructureException} when the area cannot be written at all.
   */
  public static void requireVisibleArea(SparkContext sc, Path area, String what) {
    Configuration conf = sc.hadoopConfiguration();
    Path nonce = new Path(area, "probe-" + UUID.randomUUID());
    byte[] content = new byte[32];
    new SecureRandom().nextBytes(content);
    FileSystem fs;
    try {
      fs = area.getFileSystem(conf);
      fs.mkdirs(area);
      try (OutputStream out = fs.create(nonce, false)) {
        out.write(content);
      }
    } catch (IOException e) {
      throw new InfrastructureException(what + " " + area + " is not writable: " + e.getMessage(), e);
    }
    try {
      requireVisible(sc, Map.of(nonce.toString(), sha256(content)), what + " " + area);
    } finally {
      try {
        fs.delete(nonce, false);
      } catch (IOException e) {
        // A 32-byte probe-* leftover is harmless; the next run's own nonce has another name.
      }
    }
  }

  /**
   * Every executor must read each file of {@code files} (URI to expected SHA-256) with exactly
   * those bytes; {@code what} names the location in the refusal.
   */
  public static void requireVisible(SparkContext sc, Map<String, String> files, String what) {
    List<Report> reports = probe(sc, files);
    for (Report r : reports) {
      if (!r.failures().isEmpty()) {
        throw new BadInputException(what + " is not visible to executor " + r.executorId() + " on " + r.host() + " ("
            + r.failures().get(0) + "); stage on storage every executor reads: an hdfs: or s3a: root, or a file: root on a shared mount");
      }
    }
  }

  static List<Report> probe(SparkContext sc, Map<String, String> files) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
    int expected = expectedExecutors(sc);
    int slots = Math.max(1, jsc.defaultParallelism()) * 2;
    ProbeTask task = new ProbeTask(new TreeMap<>(files), new SerializableHadoopConf(sc.hadoopConfiguration()));
    Map<String, Report> byExecutor = new TreeMap<>();
    jsc.setJobDescription("m31r: can every executor see " + String.join(", ", files.keySet()) + "?");
    try {
      for (int round = 0; round < ROUNDS && byExecutor.size() < expected; round++) {
        List<Integer> seeds = IntStream.range(0, slots).boxed().toList();
        List<Report> got = SparkJobs.run("visibility probe", () -> jsc.parallelize(seeds, slots).mapPartitions(task).collect());
        for (Report r : got) {
          byExecutor.merge(r.executorId(), r, (a, b) -> a.failures().isEmpty() ? b : a);
        }
      }
    } finally {
      jsc.setJobDescription(null);
    }
    return new ArrayList<>(byExecutor.values());
  }

  /** Registered executors (the driver's own entry excluded), or 1 in local mode. */
  static int expectedExecutors(SparkContext sc) {
    if (sc.isLocal()) {
      return 1;
    }
    return Math.max(1, sc.statusTracker().getExecutorInfos().length - 1);
  }

  static String sha256(byte[] bytes) {
    try {
      return Hex.of(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** On an executor: reads each file and compares its digest; never throws, it reports. */
  static final class ProbeTask implements FlatMapFunction<Iterator<Integer>, Report> {
    private static final long serialVersionUID = 1L;
    private final TreeMap<String, String> files;
    private final SerializableHadoopConf conf;

    ProbeTask(TreeMap<String, String> files, SerializableHadoopConf conf) {
      this.files = files;
      this.conf = conf;
    }

    @Override
    public Iterator<Report> call(Iterator<Integer> ignored) {
      List<String> failures = new ArrayList<>();
      for (Map.Entry<String, String> f : files.entrySet()) {
        try {
          Path p = new Path(f.getKey());
          MessageDigest md = MessageDigest.getInstance("SHA-256");
          try (InputStream in = p.getFileSystem(conf.get()).open(p)) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
              md.update(buf, 0, n);
            }
          }
          String got = Hex.of(md.digest());
          if (!got.equals(f.getValue())) {
            failures.add(f.getKey() + " has other bytes here: sha256 " + got);
          }
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
          failures.add(e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
      }
      return List.of(new Report(SparkEnv.get().executorId(), LocalHost.name(), failures)).iterator();
    }
  }
}
