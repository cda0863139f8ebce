package io.m31r.release.tasks.ship;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model bundle as tasks find it, wherever they run ({@link ShippedFiles}). {@code digests} are
 * the digests the driver verified (the frozen ones in an export): an executor refuses a copy whose
 * bytes differ, whatever its own checksum.txt says.
 *
 * @param files the names shipped: the three runtime files, and checksum.txt when the bundle has one
 * @param digests file name to SHA-256 for model.safetensors, tokenizer.json and config.yaml
 */
public record ShippedBundle(ShippedFiles files, Map<String, String> digests) implements Serializable {
  private static final long serialVersionUID = 2L;

  public ShippedBundle {
    digests = new TreeMap<>(digests);
  }

  /** What identifies this shipment on an executor: one local copy per shipment per JVM. */
  String key() {
    return files.key();
  }
}
