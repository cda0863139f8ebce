package io.m31r.release.tasks.rebuild;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The argv of {@code release.rebuild_command}, one grammar for the driver's child process and the
 * executor's task, so that a rebuild means the same command wherever it runs.
 */
public final class RebuildCommand {
  private RebuildCommand() {}

  /** {@code {m31r}} becomes the launcher of this jar; {@code {config}} and {@code {out}} the paths. */
  public static List<String> expand(List<String> command, List<String> launcher, Path config, Path out) {
    List<String> argv = new ArrayList<>();
    for (String part : command) {
      if (part.equals("{m31r}")) {
        argv.addAll(launcher);
      } else {
        argv.add(part.replace("{config}", config.toString()).replace("{out}", out.toString()));
      }
    }
    return argv;
  }
}
