package io.m31r.release.sample;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One commit of a sample repository: its message, the paths it adds (relative to the workspace,
 * files or directories already on disk; a directory adds every file under it) and its author and
 * committer time.
 */
public record CommitSpec(String message, List<String> paths, Instant time) {
  public CommitSpec {
    if (message == null || message.isBlank()) {
      throw new IllegalArgumentException("commit message: missing");
    }
    if (paths == null || paths.isEmpty()) {
      throw new IllegalArgumentException("commit '" + message.lines().findFirst().orElse("") + "': no paths");
    }
    paths = List.copyOf(paths);
    for (String p : paths) {
      Path path = Path.of(p);
      if (p.isEmpty() || path.isAbsolute() || !path.normalize().equals(path)
          || path.getName(0).toString().equals("..") || path.getName(0).toString().equals(".git")) {
        throw new IllegalArgumentException("commit path '" + p + "': must be relative, normalised and outside .git");
      }
    }
    Objects.requireNonNull(time, "time");
  }
}
