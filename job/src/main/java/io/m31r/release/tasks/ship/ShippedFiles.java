package io.m31r.release.tasks.ship;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.hadoop.SerializableHadoopConf;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkFiles;

/**
 * Files as tasks find them, wherever they run: never a path on the driver's disk, but either
 * files Spark ships with the job ({@link Route#SPARK_FILES}) or a folder on storage every executor
 * can open through Hadoop's FileSystem ({@link Route#SHARED_STORAGE}).
 *
 * @param location for SPARK_FILES the unique prefix of the shipped file names; for SHARED_STORAGE
 *     the folder's Hadoop URI
 * @param names the files' paths relative to the folder shipped, '/'-separated, in shipping order
 */
public record ShippedFiles(Route route, String location, List<String> names, SerializableHadoopConf conf) implements Serializable {
  private static final long serialVersionUID = 1L;

  public enum Route {
    SPARK_FILES,
    SHARED_STORAGE
  }

  public ShippedFiles {
    names = List.copyOf(names);
    for (String name : names) {
      if (name.isEmpty() || name.startsWith("/") || List.of(name.split("/")).contains("..")) {
        throw new IllegalArgumentException("a shipped file name must be relative and stay inside its folder: '" + name + "'");
      }
    }
  }

  /** What identifies this shipment on an executor. */
  String key() {
    return route + " " + location;
  }

  /** The flat name Spark ships the i-th file under: Spark keeps one file per name for the whole application. */
  public static String sparkName(String prefix, int i, String name) {
    return prefix + i + "-" + name.substring(name.lastIndexOf('/') + 1);
  }

  /** On an executor (or the driver): copies every file into {@code dir}, recreating the relative layout. */
  public void copyTo(Path dir) {
    try {
      for (int i = 0; i < names.size(); i++) {
        Path target = dir.resolve(names.get(i));
        Files.createDirectories(target.getParent());
        if (route == Route.SPARK_FILES) {
          Files.copy(Path.of(SparkFiles.get(sparkName(location, i, names.get(i)))), target);
        } else {
          org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(location, names.get(i));
          FileSystem fs = source.getFileSystem(conf.get());
          try (InputStream in = fs.open(source)) {
            Files.copy(in, target);
          }
        }
      }
    } catch (IOException e) {
      throw new InfrastructureException("executor cannot copy the files shipped as " + location + " (" + route + "): " + e, e);
    }
  }
}
