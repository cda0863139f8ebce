package io.m31r.release.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command line that runs one step of a sample (rustc, or the program) in its own filesystem
 * (jail.sh, next to this class): fresh mount, network, PID, IPC and UTS namespaces, a read-only
 * root holding only {@code /usr}, the toolchain, the sample's folder at {@code /sandbox} and
 * size-limited private tmpfs at {@code /tmp}, {@code /var/tmp} and {@code /dev/shm}; then the
 * limits, and the sample's own uid without capabilities or a way to gain them.
 *
 * <p>Every process the jail starts costs milliseconds on a slow fork, twice per sample. So the new
 * root's skeleton (mount points, the host's {@code /bin}-style links, {@code /dev/fd}) is made here
 * once per sample, and each step's mounts are one mount table that the script mounts with a
 * single {@code mount --all}. The tables stay in the container, which the jail never shows.
 *
 * <p>Needs root (mounts, and a uid change), util-linux's unshare, mount, pivot_root, prlimit and
 * setpriv. {@link Isolation#probe()} tries it once.
 */
final class Jail {
  enum Mode {
    /** /sandbox writable (rustc writes the binary there), working directory /sandbox. */
    COMPILE,
    /** /sandbox read-only, working directory /tmp. */
    RUN;

    String tableName() {
      return "mounts." + name().toLowerCase(Locale.ROOT);
    }
  }

  private static final String SCRIPT = load();
  private static final String RO = "ro,nosuid,nodev";
  private static final List<String> TOP_LEVEL = List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");
  private static final List<String> DEVICES = List.of("/dev/null", "/dev/zero", "/dev/urandom");
  private static final String ALTERNATIVES = "/etc/alternatives";
  private static final String LOADER_CACHE = "/etc/ld.so.cache";
  private static final HostLayout HOST = HostLayout.read();

  private Jail() {}

  /**
   * Makes {@code container/root} the skeleton of the sample's root and writes one mount table per
   * {@link Mode}. {@code container} is root's, holds {@code box/} and nothing else yet.
   *
   * <p>The root is the skeleton bound read-only onto itself; on it: the host's top-level library
   * folders (or the same links where they are links), {@code /usr}, the toolchain's sysroot at its
   * own path, {@code /etc/alternatives} (Debian reaches the linker through it) and
   * {@code /etc/ld.so.cache} (the loader finds multiarch libraries through it) where the host has
   * them, three devices, a fresh {@code /proc}, the box at {@code /sandbox} and three tmpfs.
   */
  static void prepare(Path container, String sysroot, long tmpfsBytes) throws IOException {
    Path root = Files.createDirectory(container.resolve("root"));
    for (var link : HOST.links()) {
      Files.createSymbolicLink(inside(root, link.getKey()), link.getValue());
    }
    List<String> dirs = new ArrayList<>(List.of("/usr", sysroot, "/sandbox", "/tmp", "/var/tmp", "/dev/shm", "/proc", "/etc"));
    dirs.addAll(HOST.roBinds());
    for (String d : dirs) {
      Files.createDirectories(inside(root, d));
    }
    for (String f : HOST.files()) {
      Files.createFile(inside(root, f));
    }
    Files.createSymbolicLink(inside(root, "/dev/fd"), Path.of("/proc/self/fd"));
    openToAll(root);

    String r = mountTablePath(root.toString());
    StringBuilder common = new StringBuilder();
    line(common, r, r, "none", "bind," + RO);
    for (String d : HOST.roBinds()) {
      line(common, d, r + d, "none", "bind," + RO);
    }
    String s = mountTablePath(sysroot);
    line(common, s, r + s, "none", "bind," + RO);
    for (String f : HOST.files()) {
      line(common, f, r + f, "none", DEVICES.contains(f) ? "bind" : "bind," + RO);
    }
    for (String tmp : List.of("/tmp", "/var/tmp", "/dev/shm")) {
      line(common, "m31r-tmp", r + tmp, "tmpfs", "size=" + tmpfsBytes + ",mode=1777,nosuid,nodev");
    }
    line(common, "proc", r + "/proc", "proc", "nosuid,nodev,noexec");
    String box = mountTablePath(container.resolve("box").toString());
    for (Mode mode : Mode.values()) {
      StringBuilder t = new StringBuilder(common);
      line(t, box, r + "/sandbox", "none", mode == Mode.COMPILE ? "bind,nosuid,nodev" : "bind," + RO);
      Files.writeString(container.resolve(mode.tableName()), t, StandardCharsets.UTF_8);
    }
  }

  /**
   * What of the host the jail shows, read once: the top-level library folders it binds (or the
   * links it copies where they are links), {@code /usr}, {@code /etc/alternatives} where present,
   * and the files it binds (three devices, the loader cache where present).
   */
  private record HostLayout(List<Map.Entry<String, Path>> links, List<String> roBinds, List<String> files) {
    static HostLayout read() {
      List<Map.Entry<String, Path>> links = new ArrayList<>();
      List<String> roBinds = new ArrayList<>();
      for (String d : TOP_LEVEL) {
        Path host = Path.of(d);
        try {
          if (Files.isSymbolicLink(host)) {
            links.add(Map.entry(d, Files.readSymbolicLink(host)));
          } else if (Files.isDirectory(host)) {
            roBinds.add(d);
          }
        } catch (IOException e) {
          // Left out: without it the probe's jail fails and judging runs without one, as it says.
        }
      }
      roBinds.add("/usr");
      if (Files.isDirectory(Path.of(ALTERNATIVES))) {
        roBinds.add(ALTERNATIVES);
      }
      List<String> files = new ArrayList<>(DEVICES);
      if (Files.isRegularFile(Path.of(LOADER_CACHE))) {
        files.add(LOADER_CACHE);
      }
      return new HostLayout(List.copyOf(links), List.copyOf(roBinds), List.copyOf(files));
    }
  }

  /**
   * @param container a folder made ready by {@link #prepare}
   */
  static List<String> command(
      List<String> command, Path container, Mode mode, int uid, long memoryBytes, int maxProcesses,
      long maxFileBytes, long cpuSeconds) {
    List<String> c = new ArrayList<>(List.of(
        "unshare", "--mount", "--net", "--pid", "--ipc", "--uts", "--fork", "--kill-child", "--propagation", "private",
        "--", "/bin/sh", "-c", SCRIPT, "m31r-jail",
        container.toAbsolutePath().toString(), mode.name().toLowerCase(Locale.ROOT), mode.tableName(),
        Integer.toString(uid), Long.toString(memoryBytes), Integer.toString(maxProcesses),
        Long.toString(maxFileBytes), Long.toString(cpuSeconds), "--"));
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
        b.append(String.format(Locale.ROOT, "\\%03o", (int) ch));
      } else {
        b.append(ch);
      }
    }
    return b.toString();
  }

  private static void line(StringBuilder t, String source, String target, String type, String options) {
    t.append(source).append(' ').append(target).append(' ').append(type).append(' ').append(options).append(" 0 0\n");
  }

  private static Path inside(Path root, String absolute) {
    return root.resolve(absolute.substring(1));
  }

  /** The sample's uid walks the skeleton: every folder in it is root's and 0755 whatever the umask. */
  private static void openToAll(Path root) throws IOException {
    try (var s = Files.walk(root)) {
      for (Path p : s.toList()) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
    }
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
