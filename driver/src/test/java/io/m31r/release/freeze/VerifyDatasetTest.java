package io.m31r.release.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.ExitCode;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.Datasets;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tamper tests: every kind of change is found, named and makes verify-dataset exit 4. */
class VerifyDatasetTest {
  @TempDir Path tmp;
  Path ds;
  Path manifest;

  @BeforeEach
  void freeze() throws Exception {
    ds = tmp.resolve("ds");
    Datasets.write(ds, 11, 100, 70_000, 0, 5, 65536, 12);
    manifest = tmp.resolve("manifest.json");
    assertEquals(0, Cli.run("freeze", "--dataset", ds.toString(), "--out", manifest.toString(), "--quiet").exitCode());
  }

  private Cli.Run verify() {
    return Cli.run("verify-dataset", "--manifest", manifest.toString(), "--quiet");
  }

  @Test
  void identicalDatasetPasses() {
    Cli.Run r = verify();
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("ok: 6 shards identical"), r.out());
  }

  @Test
  void flippedByteIsNamed() throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(ds.resolve("sub1/part-1.bin").toFile(), "rw")) {
      f.seek(65_536);
      int b = f.read();
      f.seek(65_536);
      f.write(b ^ 0x01);
    }
    Cli.Run r = verify();
    assertEquals(ExitCode.INTEGRITY.code(), r.exitCode());
    assertTrue(r.out().contains("changed: sub1/part-1.bin (sha256 "), r.out());
    assertTrue(r.err().contains("1 changed, 0 missing, 0 extra"), r.err());
  }

  @Test
  void truncationDeletionAndAdditionAreAllNamed() throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(ds.resolve("part-0.bin").toFile(), "rw")) {
      f.setLength(99);
    }
    Files.delete(ds.resolve("sub2/part-5.bin"));
    Files.write(ds.resolve("sub2/intruder.bin"), new byte[] {1});
    Cli.Run r = verify();
    assertEquals(ExitCode.INTEGRITY.code(), r.exitCode());
    assertTrue(r.out().contains("changed: part-0.bin (size 100 -> 99)"), r.out());
    assertTrue(r.out().contains("missing: sub2/part-5.bin"), r.out());
    assertTrue(r.out().contains("extra: sub2/intruder.bin"), r.out());
    assertTrue(r.err().contains("1 changed, 1 missing, 1 extra"), r.err());
  }

  @Test
  void anEmptiedDatasetReportsEveryShardMissing() throws Exception {
    try (var s = Files.walk(ds)) {
      s.filter(Files::isRegularFile).forEach(p -> p.toFile().delete());
    }
    Cli.Run r = verify();
    assertEquals(ExitCode.INTEGRITY.code(), r.exitCode());
    assertEquals(6, r.out().lines().filter(l -> l.startsWith("missing: ")).count(), r.out());
  }

  @Test
  void aCopyElsewhereCanBeVerified() throws Exception {
    Path copy = tmp.resolve("copy");
    try (var s = Files.walk(ds)) {
      for (Path p : s.toList()) {
        Path t = copy.resolve(ds.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    Cli.Run r = Cli.run("verify-dataset", "--manifest", manifest.toString(), "--dataset", copy.toString(), "--quiet");
    assertEquals(0, r.exitCode(), r.err());
  }

  @Test
  void anEditedManifestIsAnIntegrityFailure() throws Exception {
    String json = Files.readString(manifest);
    Files.writeString(manifest, json.replaceFirst("\"size\": 100", "\"size\": 101"));
    Cli.Run r = verify();
    assertEquals(ExitCode.INTEGRITY.code(), r.exitCode());
    assertTrue(r.err().contains("disagree with its shard list"), r.err());
  }

  @Test
  void aMissingOrForeignManifestIsBadInput() throws Exception {
    Cli.Run missing = Cli.run("verify-dataset", "--manifest", tmp.resolve("none.json").toString());
    assertEquals(ExitCode.BAD_INPUT.code(), missing.exitCode());
    Path foreign = Files.writeString(tmp.resolve("foreign.json"), "{\"format_version\": 1, \"hello\": 2}");
    Cli.Run r = Cli.run("verify-dataset", "--manifest", foreign.toString());
    assertEquals(ExitCode.BAD_INPUT.code(), r.exitCode());
    assertTrue(r.err().contains("unknown key hello"), r.err());
  }
}
