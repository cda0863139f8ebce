package io.m31r.release.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium run headless as a subprocess, one fresh profile per run, with every host but
 * 127.0.0.1 made unresolvable so that any fetch leaving the machine fails instead of succeeding.
 */
final class HeadlessChromium {
  static final Path BINARY = Path.of("/usr/bin/chromium");
  static final String OFFLINE_RULES = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1";
  private static final long TIMEOUT_S = 60;

  private final Path workDir;
  private int runs;

  HeadlessChromium(Path workDir) {
    this.workDir = workDir;
  }

  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** The DOM after the page loaded, serialized by the browser. */
  String dumpDom(String url, String resolverRules) throws Exception {
    return run(url, resolverRules, List.of("--dump-dom"));
  }

  /** A PNG screenshot of the page in a window of the given size. */
  Path screenshot(String url, int width, int height) throws Exception {
    Path png = workDir.resolve("shot-" + (runs + 1) + ".png");
    run(url, OFFLINE_RULES, List.of("--screenshot=" + png, "--window-size=" + width + "," + height));
    return png;
  }

  private String run(String url, String resolverRules, List<String> mode) throws Exception {
    int n = ++runs;
    Path profile = Files.createDirectories(workDir.resolve("profile-" + n));
    Path stdout = workDir.resolve("stdout-" + n + ".txt");
    Path stderr = workDir.resolve("stderr-" + n + ".txt");
    List<String> cmd = new ArrayList<>(List.of(
        BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--host-resolver-rules=" + resolverRules));
    cmd.addAll(mode);
    cmd.add(url);
    Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    try {
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        fail("chromium did not finish within " + TIMEOUT_S + " s: " + tail(stderr));
      }
      assertEquals(0, p.exitValue(), () -> "chromium exit status; stderr: " + tail(stderr));
      return Files.readString(stdout, StandardCharsets.UTF_8);
    } finally {
      // Renderer and helper processes are children of the browser: end them while still reachable.
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String tail(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      return s.substring(Math.max(0, s.length() - 2000));
    } catch (IOException e) {
      return "(no stderr: " + e.getMessage() + ")";
    }
  }
}
