package io.m31r.release.ship;

import io.m31r.release.formats.ReleaseFiles;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.model.bundle.ChecksumFile;
import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.storage.SerializableHadoopConf;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;

/**
 * Hands a verified model bundle on the driver's disk to the executors, choosing by size:
 *
 * <ul>
 *   <li>at most {@link #MAX_SHIP_BYTES_KEY} bytes (default 64 MiB): {@code SparkContext.addFile},
 *       each executor fetching the files from the driver once;
 *   <li>larger (real models are gigabytes): copied to a folder under the staging area on the
 *       release root's file system, which every executor must see (checked by a read-back probe),
 *       and removed by {@link #close()};
 *   <li>larger without a staging area ({@code bench --model} without {@code --staging}): used in
 *       place only if every executor reads the very same bytes there (a shared mount).
 * </ul>
 */
public final class BundleShipment implements AutoCloseable {
  /** Spark setting: the largest bundle shipped with the job instead of staged. */
  public static final String MAX_SHIP_BYTES_KEY = "spark.m31r.bundle.shipMaxBytes";

  public static final long DEFAULT_MAX_SHIP_BYTES = 64L << 20;

  private final ShippedBundle bundle;
  private final FileSystem stagedFs;
  private final Path staged;

  private BundleShipment(ShippedBundle bundle, FileSystem stagedFs, Path staged) {
    this.bundle = bundle;
    this.stagedFs = stagedFs;
    this.staged = staged;
  }

  public ShippedBundle bundle() {
    return bundle;
  }

  /**
   * @param verified the bundle as the driver opened and verified it
   * @param stagingArea the release root's staging area, or null when there is none
   */
  public static BundleShipment ship(SparkContext sc, ModelBundle verified, Path stagingArea) {
    Map<String, String> digests = new TreeMap<>(Map.of(
        ReleaseFiles.MODEL, verified.modelSha256(),
        ReleaseFiles.TOKENIZER, verified.tokenizerSha256(),
        ReleaseFiles.CONFIG, verified.configSha256()));
    SerializableHadoopConf conf = new SerializableHadoopConf(sc.hadoopConfiguration());
    List<String> files = new ArrayList<>(ExecutorBundles.FILES);
    if (Files.isRegularFile(verified.directory().resolve(ReleaseFiles.CHECKSUM))) {
      files.add(ReleaseFiles.CHECKSUM);
    }
    long size = size(verified.directory(), files);
    long max = sc.conf().getSizeAsBytes(MAX_SHIP_BYTES_KEY, Long.toString(DEFAULT_MAX_SHIP_BYTES));
    if (size <= max) {
      return new BundleShipment(new ShippedBundle(ShippedBundle.Route.SPARK_FILES, addFiles(sc, verified.directory(), files), files, digests, conf), null, null);
    }
    if (stagingArea == null) {
      Path inPlace = new Path(verified.directory().toUri());
      Map<String, String> probe = Map.of(new Path(inPlace, ReleaseFiles.CONFIG).toString(), verified.configSha256());
      ExecutorVisibility.requireVisible(sc, probe, "model bundle " + verified.directory() + " (" + size
          + " bytes, over " + MAX_SHIP_BYTES_KEY + "=" + max + ")");
      return new BundleShipment(new ShippedBundle(ShippedBundle.Route.SHARED_STORAGE, inPlace.toString(), files, digests, conf), null, null);
    }
    Path dir = new Path(stagingArea, "candidate-" + UUID.randomUUID());
    try {
      FileSystem fs = dir.getFileSystem(sc.hadoopConfiguration());
      BundleShipment shipment =
          new BundleShipment(new ShippedBundle(ShippedBundle.Route.SHARED_STORAGE, dir.toString(), files, digests, conf), fs, dir);
      try {
        fs.mkdirs(dir);
        for (String name : files) {
          fs.copyFromLocalFile(false, true, new Path(verified.directory().resolve(name).toUri()), new Path(dir, name));
        }
        ExecutorVisibility.requireVisible(
            sc, Map.of(new Path(dir, ReleaseFiles.CONFIG).toString(), verified.configSha256()), "staged bundle " + dir);
        return shipment;
      } catch (RuntimeException | IOException e) {
        shipment.close();
        throw e;
      }
    } catch (IOException e) {
      throw new InfrastructureException("cannot stage the model bundle at " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Ships the files under names unique to this shipment: Spark keeps one file per name for the
   * application, so two bundles must never both be "model.safetensors". The links stay until the
   * JVM exits, because an executor that joins later fetches every file added so far.
   */
  private static String addFiles(SparkContext sc, java.nio.file.Path dir, List<String> files) {
    String prefix = "m31r-" + UUID.randomUUID() + "-";
    try {
      java.nio.file.Path shipDir = Files.createTempDirectory("m31r-ship-");
      shipDir.toFile().deleteOnExit();
      for (String name : files) {
        java.nio.file.Path link = shipDir.resolve(prefix + name);
        try {
          Files.createLink(link, dir.resolve(name));
        } catch (IOException | UnsupportedOperationException e) {
          Files.copy(dir.resolve(name), link);
        }
        link.toFile().deleteOnExit();
        sc.addFile(link.toUri().toString());
      }
      return prefix;
    } catch (IOException e) {
      throw new InfrastructureException("cannot ship the model bundle " + dir + " with the job: " + e.getMessage(), e);
    }
  }

  private static long size(java.nio.file.Path dir, List<String> files) {
    long total = 0;
    for (String name : files) {
      try {
        total += Files.size(dir.resolve(name));
      } catch (IOException e) {
        throw new BadInputException("model bundle " + dir + ": cannot read " + name + ": " + e.getMessage());
      }
    }
    return total;
  }

  /** Removes what this run staged; shipped files go with the application. */
  @Override
  public void close() {
    if (staged == null) {
      return;
    }
    try {
      stagedFs.delete(staged, true);
    } catch (IOException e) {
      throw new InfrastructureException("cannot remove the staged bundle " + staged + ": " + e.getMessage(), e);
    }
  }
}
