package io.m31r.release.testing;

import io.m31r.release.process.SelfLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Trained sample workspaces kept under {@code driver/target/sample-workspace-cache/<key>/}, so that
 * the test JVMs of one build (surefire, failsafe) and later builds of the same code train once.
 *
 * <p>The key is a SHA-256 over everything that decides the workspace's bytes: the main sources of
 * both modules (the sample's configuration and corpus seed, the tokenizer and the trainer among
 * them), the three POMs (every dependency and its version, libtorch's included), the Java version
 * and the exact {@code m31r} command. Changing any
 * trainer code, the sample's config or seed therefore trains again. An entry holds
 * the workspace, the command's output and a {@code sha256sum} listing of every file; it is used
 * only when every file still has its listed digest, and otherwise discarded and trained again.
 */
final class SampleWorkspaceCache {
  static final String LISTING = "files.sha256";

  private final Path root;
  private final Path repo;

  SampleWorkspaceCache(Path root, Path repo) {
    this.root = root;
    this.repo = repo;
  }

  /**
   * The cache of this checkout, beside the driver's compiled test classes
   * ({@code driver/target/test-classes}) under {@code driver/target/}.
   */
  static SampleWorkspaceCache ofBuild() {
    try {
      Path target = Path.of(SampleWorkspaceCache.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
      return new SampleWorkspaceCache(target.resolve("sample-workspace-cache"), target.getParent().getParent());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the test classes: " + e.getMessage(), e);
    }
  }

  /**
   * A cached, verified run of {@code m31r <args>} whose output folder is {@code ws} in the entry;
   * {@code trainedAt} is the folder the run wrote to (and its output names).
   */
  record Entry(Path workspace, Cli.Run run, String trainedAt, boolean reused) {
    /** The run's output as if it had written to {@code copy}: the workspace's paths in it point there. */
    Cli.Run runAt(Path copy) {
      return new Cli.Run(run.exitCode(), run.out().replace(trainedAt, copy.toString()), run.err().replace(trainedAt, copy.toString()));
    }
  }

  /**
   * The entry for {@code args} (in which {@code {out}} stands for the workspace folder): verified
   * from the cache, or made now by {@code train} and stored.
   */
  Entry get(List<String> args, Trainer train) throws IOException {
    String key = key(repo, args);
    Files.createDirectories(root);
    // Test JVMs run at once: the first to ask trains while the others wait for its entry, rather
    // than all training the same workspace on the same cores. The JVM-wide lock comes first
    // because a file lock is held per JVM, not per thread.
    synchronized (SampleWorkspaceCache.class) {
      try (FileChannel lock = FileChannel.open(root.resolve(key + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock held = lock.lock()) {
        return getLocked(root.resolve(key), args, train);
      }
    }
  }

  private Entry getLocked(Path entry, List<String> args, Trainer train) throws IOException {
    if (Files.isDirectory(entry)) {
      Optional<String> problem = verify(entry);
      if (problem.isEmpty()) {
        return new Entry(entry.resolve("ws"), readRun(entry), trainedAt(entry), true);
      }
      System.err.println("sample workspace cache: discarding " + entry + ": " + problem.get());
      SampleWorkspaces.deleteTree(entry);
    }
    Path staging = Files.createTempDirectory(root, "staging-");
    try {
      Path ws = staging.resolve("ws");
      List<String> concrete = args.stream().map(a -> a.equals("{out}") ? ws.toString() : a).toList();
      Cli.Run run = train.run(concrete);
      if (run.exitCode() != 0) {
        throw new AssertionError("m31r " + String.join(" ", concrete) + " failed: " + run.err());
      }
      Files.writeString(staging.resolve("exit"), Integer.toString(run.exitCode()), StandardCharsets.UTF_8);
      Files.writeString(staging.resolve("out"), run.out(), StandardCharsets.UTF_8);
      Files.writeString(staging.resolve("err"), run.err(), StandardCharsets.UTF_8);
      Files.writeString(staging.resolve("trained-at"), ws.toString(), StandardCharsets.UTF_8);
      Files.writeString(staging.resolve(LISTING), listing(staging), StandardCharsets.UTF_8);
      Files.move(staging, entry, StandardCopyOption.ATOMIC_MOVE);
      return new Entry(entry.resolve("ws"), run, ws.toString(), false);
    } catch (RuntimeException | Error | IOException e) {
      SampleWorkspaces.deleteTree(staging);
      throw e;
    }
  }

  /** Runs {@code m31r} with these arguments. */
  @FunctionalInterface
  interface Trainer {
    Cli.Run run(List<String> args);
  }

  /** Empty when every file of the entry has its listed digest and no file was added or removed. */
  static Optional<String> verify(Path entry) throws IOException {
    Path listed = entry.resolve(LISTING);
    if (!Files.isRegularFile(listed)) {
      return Optional.of("no " + LISTING);
    }
    for (String part : List.of("exit", "out", "err", "trained-at", "ws")) {
      if (!Files.exists(entry.resolve(part))) {
        return Optional.of("no " + part);
      }
    }
    String want = Files.readString(listed, StandardCharsets.UTF_8);
    String have = listing(entry);
    if (!want.equals(have)) {
      return Optional.of("files differ from " + LISTING);
    }
    return Optional.empty();
  }

  /** {@code sha256sum}-style lines for every regular file below {@code dir} except the listing, sorted by path. */
  static String listing(Path dir) throws IOException {
    StringBuilder out = new StringBuilder();
    for (Path p : files(dir)) {
      String relative = dir.relativize(p).toString();
      if (relative.equals(LISTING)) {
        continue;
      }
      out.append(HexFormat.of().formatHex(sha256(p))).append("  ").append(relative).append('\n');
    }
    return out.toString();
  }

  private static String trainedAt(Path entry) throws IOException {
    return Files.readString(entry.resolve("trained-at"), StandardCharsets.UTF_8);
  }

  private static Cli.Run readRun(Path entry) throws IOException {
    return new Cli.Run(Integer.parseInt(Files.readString(entry.resolve("exit"), StandardCharsets.UTF_8).strip()),
        Files.readString(entry.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(entry.resolve("err"), StandardCharsets.UTF_8));
  }

  /** The key of a run of {@code args} by the code of checkout {@code repo} (see the class comment). */
  static String key(Path repo, List<String> args) throws IOException {
    MessageDigest d = digest();
    update(d, "m31r-sample-workspace-cache 1");
    update(d, "java " + System.getProperty("java.version") + " " + System.getProperty("java.vm.version"));
    update(d, "command " + String.join("\u0000", args));
    // Sources and build files, not compiled classes: surefire runs on target/classes, failsafe on
    // the shaded jar whose relocations rewrite the same classes, and both must find one entry.
    for (String part : List.of("pom.xml", "job/pom.xml", "driver/pom.xml", "job/src/main", "driver/src/main")) {
      Path p = repo.resolve(part);
      if (!Files.exists(p)) {
        throw new IOException("no " + p + ": not a checkout of this project");
      }
      for (Path f : files(p)) {
        update(d, repo.relativize(f).toString());
        d.update(sha256(f));
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /** Regular files below {@code p} (or {@code p} itself), sorted by relative path. */
  private static List<Path> files(Path p) throws IOException {
    if (Files.isRegularFile(p)) {
      return List.of(p);
    }
    try (Stream<Path> walk = Files.walk(p)) {
      return walk.filter(Files::isRegularFile).sorted((a, b) -> p.relativize(a).toString().compareTo(p.relativize(b).toString())).toList();
    }
  }

  private static byte[] sha256(Path file) throws IOException {
    MessageDigest d = digest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
    }
    return d.digest();
  }

  private static void update(MessageDigest d, String s) {
    d.update(s.getBytes(StandardCharsets.UTF_8));
    d.update((byte) '\n');
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
