package io.m31r.release.testing;

import io.m31r.release.process.SelfLauncher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the CLI in a child JVM pinned to one CPU, as scripts/m31r and the rebuild step run the
 * trainer: the only way its reruns are bit-identical (docs/rebuild.md). For tests whose point is
 * that two trainings give the same bytes.
 */
public final class PinnedCli {
  private PinnedCli() {}

  public static Cli.Run run(String... args) {
    List<String> command = new ArrayList<>(SelfLauncher.command());
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("m31r-pinned-", ".out");
      Path err = Files.createTempFile("m31r-pinned-", ".err");
      try {
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new AssertionError("m31r " + String.join(" ", args) + ": no result after 10 minutes");
        }
        return new Cli.Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run m31r: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
