package io.m31r.release.tasks.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.hadoop.SerializableHadoopConf;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.model.bundle.ModelBundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor's copy of a shipped bundle outside a Spark task: nothing of it outlives its use. */
class ExecutorBundlesTest {
  private static final List<String> FILES = List.of(ReleaseFiles.MODEL, ReleaseFiles.TOKENIZER, ReleaseFiles.CONFIG, ReleaseFiles.CHECKSUM);

  @TempDir Path tmp;

  @Test
  void aCopyThatFailsVerificationIsDeletedAtOnce() throws Exception {
    Path dir = bundle(tmp.resolve("bundle"), "weights");
    Map<String, String> digests = digests(dir);
    Files.writeString(dir.resolve(ReleaseFiles.MODEL), "other weights");
    writeChecksums(dir);
    Path scratch = Files.createDirectories(tmp.resolve("scratch"));
    String before = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", scratch.toString());
    try {
      IntegrityException e = assertThrows(IntegrityException.class, () -> ExecutorBundles.open(shipped(dir, digests)));
      assertTrue(e.getMessage().startsWith("model.safetensors shipped as "), e.getMessage());
    } finally {
      System.setProperty("java.io.tmpdir", before);
    }
    assertEquals(List.of(), copies(scratch), "the refused copy stays behind");
  }

  @Test
  void aCopyMadeOutsideATaskIsDeletedWhenTheJvmExits() throws Exception {
    Path dir = bundle(tmp.resolve("bundle"), "weights");
    Path scratch = Files.createDirectories(tmp.resolve("scratch"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        "-Djava.io.tmpdir=" + scratch, OpenOneBundle.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("opened " + Sha256.hex("weights".getBytes(StandardCharsets.UTF_8)) + " in " + scratch), out);
    assertEquals(List.of(), copies(scratch), "the copy outlives the JVM that made it");
  }

  /** Opens one bundle outside Spark, as a direct caller (the GPU kit) does, and exits. */
  static final class OpenOneBundle {
    public static void main(String[] args) throws Exception {
      Path dir = Path.of(args[0]);
      ModelBundle b = ExecutorBundles.open(shipped(dir, digests(dir)));
      System.out.println("opened " + b.modelSha256() + " in " + b.directory().getParent());
    }
  }

  static ShippedBundle shipped(Path dir, Map<String, String> digests) {
    SerializableHadoopConf conf = new SerializableHadoopConf(new Configuration());
    return new ShippedBundle(new ShippedFiles(ShippedFiles.Route.SHARED_STORAGE, dir.toUri().toString(), FILES, conf), digests);
  }

  static Map<String, String> digests(Path dir) throws Exception {
    Map<String, String> d = new TreeMap<>();
    for (String n : List.of(ReleaseFiles.MODEL, ReleaseFiles.TOKENIZER, ReleaseFiles.CONFIG)) {
      d.put(n, Sha256.hex(Files.readAllBytes(dir.resolve(n))));
    }
    return d;
  }

  private static Path bundle(Path dir, String weights) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(ReleaseFiles.MODEL), weights);
    Files.writeString(dir.resolve(ReleaseFiles.TOKENIZER), "{}");
    Files.writeString(dir.resolve(ReleaseFiles.CONFIG), "model: {}\n");
    writeChecksums(dir);
    return dir;
  }

  private static void writeChecksums(Path dir) throws Exception {
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, String> e : digests(dir).entrySet()) {
      s.append(e.getValue()).append("  ").append(e.getKey()).append('\n');
    }
    Files.writeString(dir.resolve(ReleaseFiles.CHECKSUM), s.toString());
  }

  private static List<String> copies(Path scratch) throws Exception {
    try (Stream<Path> s = Files.list(scratch)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("m31r-bundle-")).sorted().toList();
    }
  }
}
