package io.m31r.release.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Creates this test JVM's {@code java.io.tmpdir} before any test runs. The driver's tests run in
 * several JVMs at once, each given its own temporary folder (driver/pom.xml): exports leave their
 * work folders and reuse areas there, and tests that assert "no work folder left" or "retrained,
 * not reused" must not see another JVM's export of the same version.
 */
public final class ForkTmpdir implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the test JVM's java.io.tmpdir " + dir, e);
    }
  }
}
