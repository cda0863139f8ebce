package io.m31r.release.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code taskset -c <cpu>} for a child that trains: the first CPU this process may run on. Empty
 * where taskset or the affinity list is not available (not Linux): the child then runs unpinned.
 */
final class CpuPin {
  private static final Path TASKSET = Path.of("/usr/bin/taskset");
  private static final Pattern ALLOWED = Pattern.compile("(?m)^Cpus_allowed_list:\\s*(\\d+)");

  private CpuPin() {}

  static List<String> prefix() {
    if (!Files.isExecutable(TASKSET)) {
      return List.of();
    }
    try {
      Matcher m = ALLOWED.matcher(Files.readString(Path.of("/proc/self/status")));
      return m.find() ? List.of(TASKSET.toString(), "-c", m.group(1)) : List.of();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
