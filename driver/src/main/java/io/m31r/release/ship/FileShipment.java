package io.m31r.release.ship;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.hadoop.SerializableHadoopConf;
import io.m31r.release.tasks.ship.ShippedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;

/**
 * Hands files on the driver's disk to the executors, choosing by their total size:
 *
 * <ul>
 *   <li>at most {@link #MAX_SHIP_BYTES_KEY} bytes (default 64 MiB): {@code SparkContext.addFile},
 *       each executor fetching the files from the driver once;
 *   <li>larger (real models and datasets are gigabytes): copied to a new folder under the staging
 *       area on the release root's file system, which every executor must see (checked by a
 *       read-back probe), and removed by {@link #close()};
 *   <li>larger without a staging area ({@code bench --model} without {@code --staging}): used in
 *       place only if every executor reads the very same bytes there (a shared mount).
 * </ul>
 */
public final class FileShipment implements AutoCloseable {
  /** Spark setting: the largest set of files shipped with the job instead of staged. */
  public static final String MAX_SHIP_BYTES_KEY = "spark.m31r.bundle.shipMaxBytes";

  public static final long DEFAULT_MAX_SHIP_BYTES = 64L << 20;

  private final ShippedFiles files;
  private final FileSystem stagedFs;
  private final Path staged;

  private FileShipment(ShippedFiles files, FileSystem stagedFs, Path staged) {
    this.files = files;
    this.staged = staged;
    this.stagedFs = stagedFs;
  }

  public ShippedFiles files() {
    return files;
  }

  /** The size limit this Spark application ships under. */
  public static long maxShipBytes(SparkContext sc) {
    return sc.conf().getSizeAsBytes(MAX_SHIP_BYTES_KEY, Long.toString(DEFAULT_MAX_SHIP_BYTES));
  }

  /**
   * @param dir the local folder the names are relative to
   * @param what what is shipped, for messages ("model bundle", "rebuild inputs")
   * @param stagingArea the release root's staging area, or null when there is none
   * @param stagedPrefix the staged folder's name before its random part ("candidate-")
   * @param probe one of {@code names} and its SHA-256: what executors must read back from storage
   */
  public static FileShipment ship(
      SparkContext sc, java.nio.file.Path dir, List<String> names, String what, Path stagingArea, String stagedPrefix,
      Map.Entry<String, String> probe) {
    SerializableHadoopConf conf = new SerializableHadoopConf(sc.hadoopConfiguration());
    long size = size(dir, names, what);
    long max = maxShipBytes(sc);
    if (size <= max) {
      return new FileShipment(new ShippedFiles(ShippedFiles.Route.SPARK_FILES, addFiles(sc, dir, names, what), names, conf), null, null);
    }
    if (stagingArea == null) {
      Path inPlace = new Path(dir.toUri());
      ExecutorVisibility.requireVisible(sc, Map.of(new Path(inPlace, probe.getKey()).toString(), probe.getValue()),
          what + " " + dir + " (" + size + " bytes, over " + MAX_SHIP_BYTES_KEY + "=" + max + ")");
      return new FileShipment(new ShippedFiles(ShippedFiles.Route.SHARED_STORAGE, inPlace.toString(), names, conf), null, null);
    }
    Path target = new Path(stagingArea, stagedPrefix + UUID.randomUUID());
    try {
      FileSystem fs = target.getFileSystem(sc.hadoopConfiguration());
      FileShipment shipment = new FileShipment(new ShippedFiles(ShippedFiles.Route.SHARED_STORAGE, target.toString(), names, conf), fs, target);
      try {
        fs.mkdirs(target);
        for (String name : names) {
          fs.copyFromLocalFile(false, true, new Path(dir.resolve(name).toUri()), new Path(target, name));
        }
        ExecutorVisibility.requireVisible(
            sc, Map.of(new Path(target, probe.getKey()).toString(), probe.getValue()), "staged " + what + " " + target);
        return shipment;
      } catch (RuntimeException | IOException e) {
        shipment.close();
        throw e;
      }
    } catch (IOException e) {
      throw new InfrastructureException("cannot stage the " + what + " at " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Ships each file under a name unique to this shipment ({@link ShippedFiles#sparkName}). The
   * links stay until the JVM exits, because an executor that joins later fetches every file added so far.
   */
  private static String addFiles(SparkContext sc, java.nio.file.Path dir, List<String> names, String what) {
    String prefix = "m31r-" + UUID.randomUUID() + "-";
    try {
      java.nio.file.Path shipDir = Files.createTempDirectory("m31r-ship-");
      shipDir.toFile().deleteOnExit();
      for (int i = 0; i < names.size(); i++) {
        java.nio.file.Path link = shipDir.resolve(ShippedFiles.sparkName(prefix, i, names.get(i)));
        try {
          Files.createLink(link, dir.resolve(names.get(i)));
        } catch (IOException | UnsupportedOperationException e) {
          Files.copy(dir.resolve(names.get(i)), link);
        }
        link.toFile().deleteOnExit();
        sc.addFile(link.toUri().toString());
      }
      return prefix;
    } catch (IOException e) {
      throw new InfrastructureException("cannot ship the " + what + " " + dir + " with the job: " + e.getMessage(), e);
    }
  }

  private static long size(java.nio.file.Path dir, List<String> names, String what) {
    long total = 0;
    for (String name : names) {
      try {
        total += Files.size(dir.resolve(name));
      } catch (IOException e) {
        throw new BadInputException(what + " " + dir + ": cannot read " + name + ": " + e.getMessage());
      }
    }
    return total;
  }

  /** Removes what this shipment staged; shipped files go with the application. */
  @Override
  public void close() {
    if (staged == null) {
      return;
    }
    try {
      stagedFs.delete(staged, true);
    } catch (IOException e) {
      throw new InfrastructureException("cannot remove the staged files " + staged + ": " + e.getMessage(), e);
    }
  }
}
