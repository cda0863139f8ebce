package io.m31r.release.ship;

import io.m31r.release.storage.SerializableHadoopConf;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model bundle as tasks find it, wherever they run: never a path on the driver's disk, but
 * either files Spark ships with the job ({@link Route#SPARK_FILES}, small bundles) or a folder on
 * storage every executor can open through Hadoop's FileSystem ({@link Route#SHARED_STORAGE}).
 * {@code digests} are the digests the driver verified (the frozen ones in an export): an executor
 * refuses a copy whose bytes differ, whatever its own checksum.txt says.
 *
 * @param location for SPARK_FILES the unique prefix of the shipped file names; for SHARED_STORAGE
 *     the folder's Hadoop URI
 * @param files the names shipped: the three runtime files, and checksum.txt when the bundle has one
 * @param digests file name to SHA-256 for model.safetensors, tokenizer.json and config.yaml
 */
public record ShippedBundle(
    Route route, String location, List<String> files, Map<String, String> digests, SerializableHadoopConf conf)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public enum Route {
    SPARK_FILES,
    SHARED_STORAGE
  }

  public ShippedBundle {
    files = List.copyOf(files);
    digests = new TreeMap<>(digests);
  }

  /** What identifies this shipment on an executor: one local copy per shipment per JVM. */
  String key() {
    return route + " " + location;
  }
}
