package io.m31r.release.tasks.ship;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.model.bundle.ChecksumFile;
import io.m31r.release.model.bundle.ModelBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;

/**
 * On an executor: the local copy of a shipped bundle, made once per JVM, opened and verified
 * against its checksum.txt, then against the digests the driver sent. The copy sits in Spark's
 * per-application file folder, which Spark removes with the application.
 */
public final class ExecutorBundles {
  public static final List<String> FILES = ReleaseFiles.RUNTIME;

  private static final Map<String, ModelBundle> OPENED = new ConcurrentHashMap<>();

  private ExecutorBundles() {}

  /** The verified local bundle of this shipment (copied on first use in this JVM). */
  public static ModelBundle open(ShippedBundle shipped) {
    return OPENED.computeIfAbsent(shipped.key(), k -> verified(shipped, copy(shipped)));
  }

  private static Path copy(ShippedBundle shipped) {
    try {
      Path base = TaskContext.get() != null ? Path.of(SparkFiles.getRootDirectory()) : Path.of(System.getProperty("java.io.tmpdir"));
      Path dir = Files.createTempDirectory(base, "m31r-bundle-");
      shipped.files().copyTo(dir);
      return dir;
    } catch (IOException e) {
      throw new InfrastructureException("executor cannot make a folder for the model bundle " + shipped.files().location() + ": " + e, e);
    }
  }

  private static ModelBundle verified(ShippedBundle shipped, Path dir) {
    // The driver's digests are the reference: with checksum.txt (shipped when the bundle has one)
    // the copy is verified against it as well.
    ModelBundle bundle = ModelBundle.open(dir, !shipped.files().names().contains(ReleaseFiles.CHECKSUM));
    Map<String, String> got = Map.of(
        ReleaseFiles.MODEL, bundle.modelSha256(),
        ReleaseFiles.TOKENIZER, bundle.tokenizerSha256(),
        ReleaseFiles.CONFIG, bundle.configSha256());
    for (Map.Entry<String, String> e : shipped.digests().entrySet()) {
      if (!e.getValue().equals(got.get(e.getKey()))) {
        throw new IntegrityException(e.getKey() + " shipped as " + shipped.files().location() + " has sha256 " + got.get(e.getKey())
            + ", the driver verified " + e.getValue());
      }
    }
    return bundle;
  }
}
