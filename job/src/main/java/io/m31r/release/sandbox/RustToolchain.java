package io.m31r.release.sandbox;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The rustc that judges samples. Found from an explicit setting, else {@code PATH}, else
 * {@code $HOME/.cargo/bin}; a rustup proxy is then replaced by the toolchain's own binary
 * ({@code <sysroot>/bin/rustc}), because the proxy needs the user's HOME and RUSTUP_HOME, which
 * the sandbox's scrubbed environment does not have, and costs a few ms per call.
 *
 * @param rustc absolute path of the real compiler
 * @param version {@code rustc --version}, recorded in reports
 */
public record RustToolchain(String rustc, String version) implements Serializable {

  /** @param configured a path or command name given by the user, or null */
  public static RustToolchain locate(String configured) {
    Path candidate = configured != null && !configured.isBlank() ? resolve(configured) : fromEnvironment();
    if (candidate == null) {
      throw new RustcNotFoundException(
          configured != null
              ? "bench: rustc '" + configured + "' not found or not executable"
              : "bench: rustc not found on PATH or in $HOME/.cargo/bin; install Rust or pass --rustc PATH");
    }
    String sysroot = firstLine(candidate.toString(), "--print", "sysroot");
    Path real = candidate;
    if (sysroot != null) {
      Path inSysroot = Path.of(sysroot, "bin", "rustc");
      if (Files.isExecutable(inSysroot)) {
        real = inSysroot;
      }
    }
    String version = firstLine(real.toString(), "--version");
    if (version == null || !version.startsWith("rustc ")) {
      throw new RustcNotFoundException("bench: " + real + " --version did not answer like rustc");
    }
    return new RustToolchain(real.toAbsolutePath().toString(), version);
  }

  /**
   * The folder the compiler lives in, two levels up from {@code <sysroot>/bin/rustc}: everything
   * rustc loads (its libraries, the standard library's rlibs) is under it, so the jail shows it.
   */
  public String sysroot() {
    Path bin = Path.of(rustc).getParent();
    Path root = bin == null ? null : bin.getParent();
    return root == null ? "/" : root.toString();
  }

  private static Path fromEnvironment() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(":")) {
        if (!dir.isEmpty()) {
          Path p = Path.of(dir, "rustc");
          if (Files.isExecutable(p)) {
            return p;
          }
        }
      }
    }
    String home = System.getenv("HOME");
    if (home == null) {
      home = System.getProperty("user.home");
    }
    Path cargo = Path.of(home, ".cargo", "bin", "rustc");
    return Files.isExecutable(cargo) ? cargo : null;
  }

  private static Path resolve(String configured) {
    if (configured.contains("/")) {
      Path p = Path.of(configured);
      return Files.isExecutable(p) ? p : null;
    }
    String path = System.getenv("PATH");
    for (String dir : path == null ? new String[0] : path.split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, configured);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static String firstLine(String... command) {
    List<String> c = new ArrayList<>(List.of(command));
    try {
      Process p = new ProcessBuilder(c).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
        return null;
      }
      return out.lines().findFirst().orElse(null);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
