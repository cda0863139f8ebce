package io.m31r.release.tasks.ship;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.fs.FileTrees;
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
    boolean inTask = TaskContext.get() != null;
    Path base = inTask ? Path.of(SparkFiles.getRootDirectory()) : Path.of(System.getProperty("java.io.tmpdir"));
    Path dir;
    try {
      dir = Files.createTempDirectory(base, "m31r-bundle-");
    } catch (IOException e) {
      throw new InfrastructureException("executor cannot make a folder for the model bundle " + shipped.files().location() + ": " + e, e);
    }
    if (!inTask) {
      // Spark removes its file folder with the application; outside a task (a direct call, as the
      // GPU kit makes) nothing would, and a real model's copy is gigabytes.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> FileTrees.deleteQuietly(dir), "m31r-bundle-cleanup"));
    }
    try {
      shipped.files().copyTo(dir);
      return dir;
    } catch (RuntimeException e) {
      FileTrees.deleteQuietly(dir);
      throw e;
    }
  }

  /** The opened copy, or none: a copy that fails verification is deleted at once, not kept until the end. */
  private static ModelBundle verified(ShippedBundle shipped, Path dir) {
    try {
      return checked(shipped, dir);
    } catch (RuntimeException e) {
      FileTrees.deleteQuietly(dir);
      throw e;
    }
  }

  private static ModelBundle checked(ShippedBundle shipped, Path dir) {
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
