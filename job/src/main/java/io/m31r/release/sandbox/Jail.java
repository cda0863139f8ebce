package io.m31r.release.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs one step of a sample (rustc, or the program) in its own filesystem
 * (jail.sh, next to this class): fresh mount, network, PID, IPC and UTS namespaces, a read-only
 * root holding only {@code /usr}, the toolchain, the sample's folder at {@code /sandbox} and
 * size-limited private tmpfs at {@code /tmp}, {@code /var/tmp} and {@code /dev/shm}; then the
 * limits, and the sample's own uid without capabilities or a way to gain them.
 *
 * <p>Needs root (mounts, and a uid change), util-linux's unshare, mount (with {@code --all
 * --fstab} and {@code X-mount.mkdir}), pivot_root, prlimit and setpriv. {@link Isolation#probe()}
 * tries it once. The script leaves its two mount tables in the container, which the caller removes.
 */
final class Jail {
  enum Mode {
    /** /sandbox writable (rustc writes the binary there), working directory /sandbox. */
    COMPILE,
    /** /sandbox read-only, working directory /tmp. */
    RUN
  }

  private static final String SCRIPT = load();

  private Jail() {}

  /**
   * @param container a root-owned folder holding {@code root/} (empty) and {@code box/}
   * @param sysroot the toolchain's folder, shown at the same path
   */
  static List<String> command(
      List<String> command, Path container, Mode mode, String sysroot, int uid, long tmpfsBytes, long memoryBytes,
      int maxProcesses, long maxFileBytes, long cpuSeconds) {
    List<String> c = new ArrayList<>(List.of(
        "unshare", "--mount", "--net", "--pid", "--ipc", "--uts", "--fork", "--kill-child", "--propagation", "private",
        "--", "/bin/sh", "-c", SCRIPT, "m31r-jail",
        container.toAbsolutePath().toString(), mode.name().toLowerCase(java.util.Locale.ROOT), sysroot,
        Integer.toString(uid), Long.toString(tmpfsBytes), Long.toString(memoryBytes), Integer.toString(maxProcesses),
        Long.toString(maxFileBytes), Long.toString(cpuSeconds),
        mountTablePath(container.toAbsolutePath().toString()), mountTablePath(sysroot), "--"));
    c.addAll(command);
    return c;
  }

  /**
   * A path as a field of a mount table (fstab(5)): whitespace and the backslash would end or
   * escape the field, so they are written as three-digit octal escapes, which libmount decodes.
   */
  static String mountTablePath(String path) {
    StringBuilder b = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char ch = path.charAt(i);
      if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\\') {
        b.append(String.format(java.util.Locale.ROOT, "\\%03o", (int) ch));
      } else {
        b.append(ch);
      }
    }
    return b.toString();
  }

  private static String load() {
    try (InputStream in = Jail.class.getResourceAsStream("jail.sh")) {
      if (in == null) {
        throw new IllegalStateException("jail.sh is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
