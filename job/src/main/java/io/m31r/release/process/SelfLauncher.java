package io.m31r.release.process;

import io.m31r.release.failure.InfrastructureException;
import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How to start this tool again as a child process ({@code {m31r}} in a rebuild command): the same
 * java, offline DJL, and a class path that holds everything this JVM can load. Under spark-submit
 * the application jar and the {@code --jars} (libtorch's native jar among them, as the operations
 * guide deploys it) are not on {@code java.class.path}: they sit in the class loader Spark made for
 * the application, which is where they are taken from.
 */
public final class SelfLauncher {
  /** Named, not referenced, so that this package does not depend on the command line it launches. */
  static final String MAIN_CLASS = "io.m31r.release.cli.M31rCli";

  private SelfLauncher() {}

  /**
   * The command. Nothing about the JVM (collector, JIT, CPU affinity) is set for training's sake:
   * what makes trainings bit-identical is the environment {@code m31r sample} gives its training
   * child (docs/rebuild.md).
   */
  public static List<String> command() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path own;
    try {
      own = Path.of(SelfLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      throw new InfrastructureException("cannot locate this tool's own jar to relaunch it: " + e.getMessage(), e);
    }
    String classPath = String.join(File.pathSeparator,
        classPath(own, SelfLauncher.class.getClassLoader(), System.getProperty("java.class.path", "")));
    return List.of(java, "-Dai.djl.offline=true", "-cp", classPath, MAIN_CLASS);
  }

  /**
   * This tool's own jar or folder first, then the local files of every URL class loader from
   * {@code loader} up to the root (the application's loader before its parents, as lookups go),
   * then {@code javaClassPath}; each entry once, in that order.
   */
  static List<String> classPath(Path own, ClassLoader loader, String javaClassPath) {
    Set<String> entries = new LinkedHashSet<>();
    entries.add(own.toString());
    for (ClassLoader l = loader; l != null; l = l.getParent()) {
      if (l instanceof URLClassLoader u) {
        for (URL url : u.getURLs()) {
          localFile(url).ifPresent(entries::add);
        }
      }
    }
    for (String entry : javaClassPath.split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(entry);
      }
    }
    return new ArrayList<>(entries);
  }

  /** A child JVM reads only local files from its class path; other URLs (http, a jar in a jar) are left out. */
  private static Optional<String> localFile(URL url) {
    if (!"file".equals(url.getProtocol())) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(url.toURI()).toString());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
