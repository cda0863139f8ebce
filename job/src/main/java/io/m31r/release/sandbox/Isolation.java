package io.m31r.release.sandbox;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What this machine lets the sandbox enforce, found by trying it once per JVM (see
 * docs/benchmark.md for the table):
 *
 * <ul>
 *   <li>{@code unshare -rn --pid --fork --kill-child}: a user namespace, an empty network namespace
 *       (no network, not even loopback) and a PID namespace whose end kills every process in it;
 *   <li>when running as root, the program itself runs as an unprivileged uid ({@code setpriv}):
 *       the kernel never applies RLIMIT_NPROC to real uid 0, even inside a user namespace, and a
 *       root program could write anywhere. Inside the new user namespace the process count is per
 *       namespace, so concurrent samples do not share one budget;
 *   <li>{@code prlimit}: address space, processes, file size and no core dumps.
 * </ul>
 *
 * When the harness is root and mount namespaces work, both rustc and the program run in a {@link Jail}
 * instead: their own filesystem, showing only {@code /usr}, the toolchain and the sample's folder,
 * under a uid of their own per concurrent sample ({@link SandboxUids}). Otherwise rustc runs as the
 * harness's user with the compile limits and sees the harness's files; docs/benchmark.md says what
 * that leaves open.
 */
public record Isolation(boolean namespaces, boolean harnessIsRoot, int sandboxUid, boolean prlimit, boolean jail)
    implements Serializable {
  /** An unprivileged uid for programs when the harness is root; nothing on these hosts uses it. */
  public static final int DEFAULT_SANDBOX_UID = 64_534;

  private static volatile Isolation probed;

  public static Isolation probe() {
    Isolation i = probed;
    if (i == null) {
      synchronized (Isolation.class) {
        if (probed == null) {
          probed = detect();
        }
        i = probed;
      }
    }
    return i;
  }

  private static Isolation detect() {
    boolean ns = works(List.of("unshare", "-rn", "--pid", "--fork", "--kill-child", "true"));
    boolean pl = works(List.of("prlimit", "--nproc=64", "--as=" + (256L << 20), "true"));
    boolean root = "0".equals(idU());
    int uid = root && works(List.of("setpriv", "--reuid=" + DEFAULT_SANDBOX_UID, "--regid=" + DEFAULT_SANDBOX_UID, "--clear-groups", "true"))
        ? DEFAULT_SANDBOX_UID
        : -1;
    return new Isolation(ns, root, uid, pl, root && ns && pl && uid >= 0 && jailWorks());
  }

  /** The whole jail, once, with a no-op: any missing tool or refused mount turns it off. */
  private static boolean jailWorks() {
    Path c = null;
    try {
      c = Files.createTempDirectory("m31r-jail-probe-");
      Files.createDirectories(c.resolve("box"));
      Jail.prepare(c, "/usr", 1 << 20);
      return works(Jail.command(List.of("true"), c, Jail.Mode.RUN, DEFAULT_SANDBOX_UID, 256L << 20, 16, 1 << 20, 5));
    } catch (IOException e) {
      return false;
    } finally {
      if (c != null) {
        io.m31r.release.fs.FileTrees.deleteQuietly(c);
      }
    }
  }

  /** Is the count of processes limited for the program? Not for root, and not without a namespace. */
  public boolean processLimitEnforced() {
    return prlimit && namespaces && (jail || sandboxUid >= 0 || !harnessIsRoot);
  }

  public String describe() {
    return String.join(
        ", ",
        namespaces ? "network: none (own network namespace)" : "network: host (unshare unavailable)",
        namespaces ? "pid namespace: yes" : "pid namespace: no (process group kill)",
        jail
            ? "filesystem: own (read-only /usr and toolchain, private /tmp, /var/tmp, /dev/shm), rustc and program: a uid per sample"
            : "filesystem: host",
        jail ? "program uid: one per concurrent sample from " + SandboxUids.FIRST
            : sandboxUid >= 0 ? "program uid: " + sandboxUid : "program uid: harness user",
        prlimit ? "limits: address space, file size, no core" : "limits: none (prlimit unavailable)",
        processLimitEnforced() ? "process limit: enforced" : "process limit: not enforced");
  }

  /** The prefix that runs a command with these protections and the given limits. */
  List<String> wrap(List<String> command, boolean asSandboxUser, long memoryBytes, int maxProcesses, long maxFileBytes) {
    List<String> c = new ArrayList<>();
    if (asSandboxUser && sandboxUid >= 0) {
      c.addAll(List.of("setpriv", "--reuid=" + sandboxUid, "--regid=" + sandboxUid, "--clear-groups", "--"));
    }
    if (namespaces) {
      c.addAll(List.of("unshare", "-rn", "--pid", "--fork", "--kill-child", "--"));
    }
    if (prlimit) {
      c.addAll(List.of(
          "prlimit", "--as=" + memoryBytes, "--nproc=" + maxProcesses, "--fsize=" + maxFileBytes, "--core=0", "--"));
    }
    c.addAll(command);
    return c;
  }

  private static boolean works(List<String> command) {
    try {
      Process p = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String idU() {
    try {
      Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  static Map<String, String> scrubbedEnv(Path home) {
    return Map.of(
        "PATH", "/usr/local/bin:/usr/bin:/bin",
        "HOME", home.toString(),
        "TMPDIR", home.toString(),
        "LC_ALL", "C.UTF-8",
        "RUST_BACKTRACE", "0");
  }
}
