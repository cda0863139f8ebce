package io.m31r.release.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The sample workspace, generated once per test JVM by the real {@code m31r sample} command (corpus,
 * tokenizer, suite, a model trained with DJL, JUnit report, git repository, release.yaml), and
 * copied for each test that changes it: the copy is a complete, clean git work tree whose
 * release.yaml points at {@code <parent>/release}.
 */
public final class SampleWorkspaces {
  private static Path master;
  private static Cli.Run masterRun;

  private SampleWorkspaces() {}

  public static synchronized Path master() {
    if (master == null) {
      try {
        Path dir = Files.createTempDirectory("m31r-sample-master-");
        Path ws = dir.resolve("ws");
        Cli.Run run = Cli.run("sample", "--out", ws.toString(), "--quiet");
        if (run.exitCode() != 0) {
          throw new AssertionError("m31r sample failed: " + run.err());
        }
        master = ws;
        masterRun = run;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return master;
  }

  /** The {@code m31r sample} run that made the master (its printed summary). */
  public static synchronized Cli.Run masterRun() {
    master();
    return masterRun;
  }

  /** A fresh copy of the master at {@code parent/ws}; its releases go to {@code parent/release}. */
  public static Path copy(Path parent) {
    Path source = master();
    Path target = parent.resolve("ws");
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path to = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  /** Commits everything in the work tree with a fixed identity (CI machines have none). */
  public static void commitAll(Path ws, String message) {
    GitCli.run(ws, "add", "-A");
    GitCli.run(ws, "-c", "user.name=Test", "-c", "user.email=test@m31r.invalid", "-c", "commit.gpgsign=false",
        "commit", "-q", "-m", message);
  }

  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    // Published releases are read-only, their folders too: open everything up before deleting.
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.forEach(p -> p.toFile().setWritable(true));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
