package io.m31r.release.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.packaging.StagedRelease;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.ReleaseFixtures;
import io.m31r.release.version.Semver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publish records decide what is a release (issue 16 item 7); yank (issue 13 item 6); adopt. */
class ReleaseRecordsTest {
  @TempDir Path tmp;

  private Path rootDir() {
    return tmp.resolve("release");
  }

  private ReleaseRoot root() {
    return ReleaseRoot.at(rootDir().toString(), new Configuration());
  }

  private void publish(String version, ReleaseType type, int variant) throws Exception {
    StagedRelease staged = ReleaseFixtures.stage(tmp.resolve("work-" + version), version, type, variant);
    new ReleasePublisher().publish(staged, root(), Semver.parse(version), type == ReleaseType.D);
    new ReleaseIndex().rebuild(root());
  }

  private Cli.Run cli(String... args) {
    return ReleaseFixtures.cli(args);
  }

  /** A self-consistent release folder (files, checksums, metadata all right) copied in by hand. */
  private Path dropFolder(String version) throws Exception {
    StagedRelease staged = ReleaseFixtures.stage(tmp.resolve("forged"), version, ReleaseType.A, 7);
    Path dir = Files.createDirectories(rootDir().resolve(version));
    try (Stream<Path> s = Files.list(staged.dir())) {
      for (Path p : s.toList()) {
        Files.copy(p, dir.resolve(p.getFileName().toString()));
      }
    }
    return dir;
  }

  @Test
  void aFolderDroppedIntoTheRootIsNotAReleaseForListVerifyOrRollback() throws Exception {
    publish("1.0.0", ReleaseType.A, 0);
    dropFolder("9.0.0");
    assertEquals(0, cli("verify", rootDir().resolve("9.0.0").toString()).exitCode(), "the folder itself is self-consistent");
    Map<String, String> before = ReleaseFixtures.snapshot(rootDir());

    Cli.Run list = cli("list", "--root", rootDir().toString());
    assertEquals(0, list.exitCode(), list.err());
    assertTrue(list.out().contains("9.0.0") && list.out().contains("not a release"), list.out());
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith("1.0.0") && l.contains("* current")), list.out());
    Cli.Run json = cli("list", "--root", rootDir().toString(), "--json");
    assertFalse(json.out().contains("9.0.0"), json.out());

    Cli.Run verify = cli("verify", "9.0.0", "--root", rootDir().toString());
    assertEquals(4, verify.exitCode(), verify.out() + verify.err());
    assertTrue(verify.err().contains("no publish record") && verify.err().contains("not a release"), verify.err());

    Cli.Run rollback = cli("rollback", "--to", "9.0.0", "--root", rootDir().toString());
    assertEquals(4, rollback.exitCode(), rollback.err());
    assertTrue(rollback.err().contains("not a release"), rollback.err());
    new ReleaseIndex().rebuild(root());
    assertEquals("1.0.0\n", Files.readString(rootDir().resolve("CURRENT")), "a newer folder never becomes current");
    before.remove("index.json");
    Map<String, String> after = ReleaseFixtures.snapshot(rootDir());
    after.remove("index.json");
    assertEquals(before, after);
  }

  @Test
  void garbageIndexOrACurrentNamingNoReleaseExitsFour() throws Exception {
    publish("1.0.0", ReleaseType.A, 0);
    Path index = rootDir().resolve("index.json");
    Files.writeString(index, "{not json");
    for (String[] args : new String[][] {{"list", "--root", rootDir().toString()}, {"verify", "1.0.0", "--root", rootDir().toString()}}) {
      Cli.Run r = cli(args);
      assertEquals(4, r.exitCode(), args[0] + ": " + r.out() + r.err());
      assertTrue(r.err().contains("index.json is not JSON"), r.err());
    }
    new ReleaseIndex().rebuild(root());
    Files.writeString(rootDir().resolve("CURRENT"), "3.0.0\n");
    for (String[] args : new String[][] {{"list", "--root", rootDir().toString()}, {"verify", "1.0.0", "--root", rootDir().toString()}}) {
      Cli.Run r = cli(args);
      assertEquals(4, r.exitCode(), args[0] + ": " + r.out() + r.err());
      assertTrue(r.err().contains("CURRENT names 3.0.0, which is not a release here"), r.err());
    }
  }

  @Test
  void aReleaseOfTheOldFormatIsAdoptedExplicitly() throws Exception {
    publish("1.0.0", ReleaseType.A, 0);
    // What the old code left: the folder, no record.
    Files.delete(rootDir().resolve(".published/1.0.0.json"));
    Cli.Run before = cli("verify", "1.0.0", "--root", rootDir().toString());
    assertEquals(4, before.exitCode(), before.err());
    Cli.Run adopt = cli("adopt", "1.0.0", "--root", rootDir().toString());
    assertEquals(0, adopt.exitCode(), adopt.err());
    assertTrue(adopt.out().startsWith("adopted 1.0.0 (type A"), adopt.out());
    assertEquals(0, cli("verify", "1.0.0", "--root", rootDir().toString()).exitCode());
    assertEquals(0, cli("adopt", "1.0.0", "--root", rootDir().toString()).exitCode(), "adopting again is a no-op");

    // A folder that does not verify is never adopted.
    Path forged = dropFolder("2.0.0");
    forged.resolve("README.txt").toFile().setWritable(true);
    Files.writeString(forged.resolve("README.txt"), "changed\n");
    Cli.Run bad = cli("adopt", "2.0.0", "--root", rootDir().toString());
    assertEquals(4, bad.exitCode(), bad.err());
    assertFalse(Files.exists(rootDir().resolve(".published/2.0.0.json")));
  }

  @Test
  void aTamperedChecksumOrSidecarIsCaughtAgainstTheRecord() throws Exception {
    Path sig = Files.createDirectories(rootDir().resolve("signatures")).resolve("1.0.0.sig");
    Files.writeString(sig, "bundle\n");
    publish("1.0.0", ReleaseType.A, 0);
    String record = Files.readString(rootDir().resolve(".published/1.0.0.json"));
    assertTrue(record.contains("\"signatures/1.0.0.sig\""), record);
    assertEquals(0, cli("verify", "1.0.0", "--root", rootDir().toString()).exitCode());
    Files.writeString(sig, "another bundle\n");
    Cli.Run r = cli("verify", "1.0.0", "--root", rootDir().toString());
    assertEquals(4, r.exitCode(), r.out());
    assertTrue(r.out().contains("sidecar signatures/1.0.0.sig has sha256"), r.out());
  }

  @Test
  void yankWithdrawsWithoutTouchingTheReleaseAndMovesCurrent() throws Exception {
    publish("1.0.0", ReleaseType.A, 0);
    publish("1.1.0", ReleaseType.C, 0);
    publish("2.0.0", ReleaseType.A, 1);
    assertEquals("2.0.0\n", Files.readString(rootDir().resolve("CURRENT")));
    Map<String, String> release = ReleaseFixtures.snapshot(rootDir().resolve("2.0.0"));
    String record = Files.readString(rootDir().resolve(".published/2.0.0.json"));

    Cli.Run yank = cli("yank", "2.0.0", "--reason", "emits unsafe code", "--root", rootDir().toString());
    assertEquals(0, yank.exitCode(), yank.err());
    assertTrue(yank.out().contains("current: 2.0.0 -> 1.0.0"), yank.out());
    assertEquals("1.0.0\n", Files.readString(rootDir().resolve("CURRENT")), "the newest type A not withdrawn");
    assertEquals(release, ReleaseFixtures.snapshot(rootDir().resolve("2.0.0")));
    assertEquals(record, Files.readString(rootDir().resolve(".published/2.0.0.json")));

    Cli.Run list = cli("list", "--root", rootDir().toString());
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith("2.0.0") && l.contains("withdrawn: emits unsafe code")), list.out());
    new ReleaseIndex().rebuild(root());
    assertTrue(Files.readString(rootDir().resolve("index.json")).contains("\"withdrawn\": \"emits unsafe code\""));
    assertEquals("1.0.0\n", Files.readString(rootDir().resolve("CURRENT")), "a rebuild keeps the withdrawal");

    Cli.Run rollback = cli("rollback", "--to", "2.0.0", "--root", rootDir().toString());
    assertEquals(2, rollback.exitCode(), rollback.err());
    assertTrue(rollback.err().contains("withdrawn"), rollback.err());
    Cli.Run verify = cli("verify", "2.0.0", "--root", rootDir().toString());
    assertEquals(0, verify.exitCode(), verify.err());
    assertTrue(verify.out().contains("withdrawn: emits unsafe code"), verify.out());

    assertEquals(0, cli("yank", "2.0.0", "--reason", "emits unsafe code", "--root", rootDir().toString()).exitCode());
    Cli.Run other = cli("yank", "2.0.0", "--reason", "another reason", "--root", rootDir().toString());
    assertEquals(5, other.exitCode(), other.err());
    Cli.Run stray = cli("yank", "7.0.0", "--reason", "x", "--root", rootDir().toString());
    assertEquals(2, stray.exitCode(), stray.err());

    // Withdrawing the last eligible release leaves no CURRENT rather than a withdrawn one.
    assertEquals(0, cli("yank", "1.0.0", "--reason", "old", "--root", rootDir().toString()).exitCode());
    assertFalse(Files.exists(rootDir().resolve("CURRENT")));
    assertEquals(0, cli("list", "--root", rootDir().toString()).exitCode());
  }

  @Test
  void aRecordIsTheOnlyWayInAndIsNeverReplaced() throws Exception {
    publish("1.0.0", ReleaseType.A, 0);
    PublishRecord r = root().record(Semver.parse("1.0.0")).orElseThrow();
    assertEquals(PublishRecord.parse(r.bytes(), "x"), r);
    Files.writeString(rootDir().resolve(".published/1.0.0.json"), "garbage");
    Cli.Run list = cli("list", "--root", rootDir().toString());
    assertEquals(4, list.exitCode(), list.err());
    assertTrue(list.err().contains("1.0.0.json is not JSON"), list.err());
    assertThrows(io.m31r.release.failure.IntegrityException.class, () -> root().list());
  }
}
