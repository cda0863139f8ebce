package io.m31r.release.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real {@code git} command, to cross-check what JGit wrote or read. It runs without the
 * user's and system's configuration, so the checks do not depend on the machine.
 */
public final class GitCli {
  private GitCli() {}

  /** Runs {@code git args...} in {@code dir}; fails the test unless it exits 0. Returns stdout. */
  public static String run(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    pb.environment().remove("GIT_DIR");
    pb.environment().remove("GIT_WORK_TREE");
    pb.redirectErrorStream(true);
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = p.waitFor();
      if (code != 0) {
        throw new AssertionError("git " + String.join(" ", args) + " exited " + code + ": " + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run git: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running git", e);
    }
  }
}
