package io.m31r.release.ship;

import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.tasks.ship.ExecutorBundles;
import io.m31r.release.tasks.ship.ShippedBundle;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;

/**
 * Hands a verified model bundle on the driver's disk to the executors, by {@link FileShipment}'s
 * size rule; staged bundles go to {@code candidate-<uuid>/} and are removed by {@link #close()}.
 */
public final class BundleShipment implements AutoCloseable {
  private final ShippedBundle bundle;
  private final FileShipment shipment;

  private BundleShipment(ShippedBundle bundle, FileShipment shipment) {
    this.bundle = bundle;
    this.shipment = shipment;
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
    List<String> files = new ArrayList<>(ExecutorBundles.FILES);
    if (Files.isRegularFile(verified.directory().resolve(ReleaseFiles.CHECKSUM))) {
      files.add(ReleaseFiles.CHECKSUM);
    }
    FileShipment shipment = FileShipment.ship(sc, verified.directory(), files, "model bundle", stagingArea, "candidate-",
        Map.entry(ReleaseFiles.CONFIG, verified.configSha256()));
    return new BundleShipment(new ShippedBundle(shipment.files(), digests), shipment);
  }

  /** Removes what this run staged; shipped files go with the application. */
  @Override
  public void close() {
    shipment.close();
  }
}
