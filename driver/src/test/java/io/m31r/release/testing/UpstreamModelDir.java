package io.m31r.release.testing;

import java.nio.file.Path;

/**
 * Where the upstream checkpoint is: the {@code m31r.upstreamModel} system property, else the
 * shared folder beside the project as seen from a module directory. Tests using it skip when it
 * is absent; nothing of the project's own depends on it.
 */
public final class UpstreamModelDir {
  private UpstreamModelDir() {}

  public static Path path() {
    return Path.of(System.getProperty("m31r.upstreamModel", "../../shared/upstream-model")).toAbsolutePath().normalize();
  }
}
