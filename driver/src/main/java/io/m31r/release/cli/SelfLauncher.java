package io.m31r.release.cli;

import io.m31r.release.failure.InfrastructureException;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * How to start this tool again as a child process ({@code {m31r}} in a rebuild command): the same
 * java, the same class path plus the jar or folder this class came from (under spark-submit the
 * application jar is not on {@code java.class.path}), offline DJL.
 */
final class SelfLauncher {
  private SelfLauncher() {}

  static List<String> command() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("java.class.path", "");
    try {
      String own = Path.of(M31rCli.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
      classPath = classPath.isEmpty() ? own : own + File.pathSeparator + classPath;
    } catch (URISyntaxException | RuntimeException e) {
      throw new InfrastructureException("cannot locate this tool's own jar to relaunch it: " + e.getMessage(), e);
    }
    return List.of(java, "-Dai.djl.offline=true", "-cp", classPath, M31rCli.class.getName());
  }
}
