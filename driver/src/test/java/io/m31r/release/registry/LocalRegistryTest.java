package io.m31r.release.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ConflictException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.packaging.StagedRelease;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.ReleaseFixtures;
import io.m31r.release.version.Semver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRegistryTest {
  @TempDir Path tmp;

  private ReleaseRoot root() {
    return ReleaseRoot.at(tmp.resolve("release").toString(), new Configuration());
  }

  private String rootArg() {
    return tmp.resolve("release").toString();
  }

  private PublishedRelease publish(String version, ReleaseType type, int variant) throws Exception {
    StagedRelease staged = ReleaseFixtures.stage(tmp.resolve("work"), version, type, variant);
    PublishedRelease p = new ReleasePublisher().publish(staged, root(), Semver.parse(version), type == ReleaseType.D);
    new ReleaseIndex().rebuild(root());
    return p;
  }

  private String current() throws Exception {
    return Files.readString(tmp.resolve("release/CURRENT"));
  }

  @Test
  void publishedReleaseIsReadOnlyVerifiesAndCannotBePublishedAgain() throws Exception {
    publish("1.0.0", ReleaseType.A, 0);
    Path dir = tmp.resolve("release/1.0.0");
    assertEquals("r-xr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    for (String name : ReleaseFiles.ALL) {
      assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))), name);
    }
    Cli.Run ok = ReleaseFixtures.cli("verify", "1.0.0", "--root", rootArg());
    assertEquals(0, ok.exitCode(), ok.err());
    assertEquals("OK file:" + dir + "\n", ok.out());
    assertEquals(0, ReleaseFixtures.cli("verify", dir.toString()).exitCode());

    Map<String, String> before = ReleaseFixtures.snapshot(tmp.resolve("release"));
    StagedRelease other = ReleaseFixtures.stage(tmp.resolve("other"), "1.0.0", ReleaseType.A, 1);
    ConflictException e = assertThrows(ConflictException.class, () -> new ReleasePublisher().publish(other, root(), Semver.parse("1.0.0"), false));
    assertTrue(e.getMessage().contains("1.0.0 already exists"), e.getMessage());
    assertEquals(before, ReleaseFixtures.snapshot(tmp.resolve("release")));
    try (var s = Files.list(tmp.resolve("release/.staging"))) {
      assertEquals(0, s.count(), "no staging copies left behind");
    }
  }

  @Test
  void aVersionTakenByAnExperimentCannotBeReleased() throws Exception {
    publish("1.0.0", ReleaseType.D, 0);
    StagedRelease a = ReleaseFixtures.stage(tmp.resolve("a"), "1.0.0", ReleaseType.A, 0);
    assertThrows(ConflictException.class, () -> new ReleasePublisher().publish(a, root(), Semver.parse("1.0.0"), false));
    assertThrows(BadInputException.class, () -> new ReleasePublisher().publish(a, root(), Semver.parse("1.0.0"), true));
    assertThrows(BadInputException.class, () -> new ReleasePublisher().publish(a, root(), Semver.parse("1.0.1"), false));
    assertFalse(Files.exists(tmp.resolve("release/1.0.0")));
  }

  @Test
  void twoConcurrentPublishersOfOneVersionYieldExactlyOneRelease() throws Exception {
    StagedRelease staged = ReleaseFixtures.stage(tmp.resolve("work"), "1.0.0", ReleaseType.A, 0);
    for (int round = 0; round < 5; round++) {
      String version = "1.0." + round;
      StagedRelease s = round == 0 ? staged : ReleaseFixtures.stage(tmp.resolve("work" + round), version, ReleaseType.A, 0);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      CountDownLatch start = new CountDownLatch(1);
      try {
        List<Future<PublishedRelease>> results = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          results.add(pool.submit(() -> {
            start.await();
            return new ReleasePublisher().publish(s, root(), Semver.parse(version), false);
          }));
        }
        start.countDown();
        int won = 0;
        int conflicts = 0;
        for (Future<PublishedRelease> f : results) {
          try {
            f.get();
            won++;
          } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof ConflictException, String.valueOf(e.getCause()));
            conflicts++;
          }
        }
        assertEquals(1, won, version);
        assertEquals(1, conflicts, version);
      } finally {
        pool.shutdownNow();
      }
      assertEquals(0, ReleaseFixtures.cli("verify", version, "--root", rootArg()).exitCode());
    }
    try (var s = Files.list(tmp.resolve("release/.staging"))) {
      assertEquals(0, s.count(), "each loser removed its own staging copy");
    }
  }

  @Test
  void indexAndCurrentFollowTypeAReleasesOnly() throws Exception {
    publish("1.0.0", ReleaseType.A, 0);
    assertEquals("1.0.0\n", current());
    publish("1.1.0", ReleaseType.D, 1);
    assertEquals("1.0.0\n", current(), "an experiment never becomes current");
    assertTrue(Files.isDirectory(tmp.resolve("release/experiments/1.1.0")));
    publish("1.0.1", ReleaseType.C, 2);
    assertEquals("1.0.0\n", current(), "a patch release is not a model release");
    publish("2.0.0", ReleaseType.A, 3);
    assertEquals("2.0.0\n", current());

    byte[] indexBytes = Files.readAllBytes(tmp.resolve("release/index.json"));
    JsonNode index = CanonicalJson.mapper().readTree(indexBytes);
    assertEquals(CanonicalJson.string(index), new String(indexBytes, java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("2.0.0", index.get("current").textValue());
    assertTrue(index.get("pin").isNull());
    List<String> versions = new ArrayList<>();
    index.get("releases").forEach(r -> versions.add(r.get("version").textValue()));
    assertEquals(List.of("1.0.0", "1.0.1", "1.1.0", "2.0.0"), versions);
    JsonNode experiment = index.get("releases").get(2);
    assertEquals("experiments/1.1.0", experiment.get("path").textValue());
    assertEquals("D", experiment.get("type").textValue());
    assertFalse(experiment.get("trusted").booleanValue());
    assertTrue(experiment.get("experimental").booleanValue());
    assertEquals("2026-11-20T10:00:00Z", experiment.get("date").textValue());
    JsonNode first = index.get("releases").get(0);
    assertEquals(Files.readString(tmp.resolve("release/1.0.0/metadata.json")).contains(first.get("model_hash").textValue()), true);
    assertEquals(io.m31r.release.hashing.Sha256.hex(Files.readAllBytes(tmp.resolve("release/1.0.0/checksum.txt"))),
        first.get("checksum_sha256").textValue());

    new ReleaseIndex().rebuild(root());
    assertEquals(new String(indexBytes, java.nio.charset.StandardCharsets.UTF_8), Files.readString(tmp.resolve("release/index.json")),
        "a rebuild from the same directories writes the same bytes");
  }

  @Test
  void indexListsReleasesBySemanticVersionPrecedenceNotAsText() throws Exception {
    publish("0.9.0", ReleaseType.A, 0);
    publish("0.10.0", ReleaseType.A, 1);
    publish("0.10.0-rc.1", ReleaseType.D, 2);
    JsonNode index = CanonicalJson.mapper().readTree(tmp.resolve("release/index.json").toFile());
    List<String> versions = new ArrayList<>();
    index.get("releases").forEach(r -> versions.add(r.get("version").textValue()));
    assertEquals(List.of("0.9.0", "0.10.0-rc.1", "0.10.0"), versions);
    assertEquals("0.10.0", index.get("current").textValue());
  }

  @Test
  void rollbackMovesCurrentBackUntilANewerModelReleaseAppears() throws Exception {
    publish("1.0.0", ReleaseType.A, 0);
    publish("2.0.0", ReleaseType.A, 1);
    Map<String, String> releasesBefore = ReleaseFixtures.snapshot(tmp.resolve("release/1.0.0"));
    Cli.Run r = ReleaseFixtures.cli("rollback", "--to", "1.0.0", "--root", rootArg());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("current: 2.0.0 -> 1.0.0\n", r.out());
    assertEquals("1.0.0\n", current());
    assertEquals(releasesBefore, ReleaseFixtures.snapshot(tmp.resolve("release/1.0.0")));

    new ReleaseIndex().rebuild(root());
    assertEquals("1.0.0\n", current(), "a rebuild does not undo a rollback");
    publish("1.5.0", ReleaseType.A, 2);
    assertEquals("1.0.0\n", current(), "a release older than the newest at rollback time does not either");
    publish("3.0.0", ReleaseType.A, 3);
    assertEquals("3.0.0\n", current(), "a newer model release moves CURRENT forward");
  }

  @Test
  void rollbackToACorruptedReleaseExitsFourAndLeavesCurrent() throws Exception {
    publish("1.0.0", ReleaseType.A, 0);
    publish("2.0.0", ReleaseType.A, 1);
    ReleaseFixtures.flipByte(tmp.resolve("release/1.0.0/model.safetensors"));
    Map<String, String> before = ReleaseFixtures.snapshot(tmp.resolve("release"));
    Cli.Run r = ReleaseFixtures.cli("rollback", "--to", "1.0.0", "--root", rootArg());
    assertEquals(4, r.exitCode(), r.err());
    assertTrue(r.err().contains("model.safetensors"), r.err());
    assertEquals("2.0.0\n", current());
    assertEquals(before, ReleaseFixtures.snapshot(tmp.resolve("release")));

    Cli.Run v = ReleaseFixtures.cli("verify", "1.0.0", "--root", rootArg());
    assertEquals(4, v.exitCode());
    assertTrue(v.out().lines().allMatch(l -> l.startsWith("problem: ")), v.out());
    assertTrue(v.out().contains("model.safetensors"), v.out());
  }

  @Test
  void rollbackRefusesExperimentsAndNonModelReleases() throws Exception {
    publish("1.0.0", ReleaseType.A, 0);
    publish("1.0.1", ReleaseType.C, 1);
    publish("1.1.0", ReleaseType.D, 2);
    assertEquals(2, ReleaseFixtures.cli("rollback", "--to", "1.1.0", "--root", rootArg()).exitCode());
    assertEquals(2, ReleaseFixtures.cli("rollback", "--to", "1.0.1", "--root", rootArg()).exitCode());
    assertEquals(2, ReleaseFixtures.cli("rollback", "--to", "9.9.9", "--root", rootArg()).exitCode());
    assertEquals("1.0.0\n", current());
    assertFalse(Files.exists(tmp.resolve("release/CURRENT.pin")));
  }

  @Test
  void listShowsVersionsTypesDatesAndTheCurrentOne() throws Exception {
    assertEquals("no releases under file:" + tmp.resolve("release") + "\n",
        ReleaseFixtures.cli("list", "--root", rootArg()).out());
    publish("1.0.0", ReleaseType.A, 0);
    publish("1.1.0-rc.1", ReleaseType.D, 1);
    publish("1.1.0", ReleaseType.A, 2);
    Cli.Run r = ReleaseFixtures.cli("list", "--root", rootArg());
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(3, lines.size(), r.out());
    assertTrue(lines.get(0).startsWith("1.0.0 ") && lines.get(0).contains(" A ") && !lines.get(0).contains("current"), lines.get(0));
    assertTrue(lines.get(1).startsWith("1.1.0-rc.1 ") && lines.get(1).contains(" D ") && lines.get(1).contains("experiment"), lines.get(1));
    assertTrue(lines.get(2).startsWith("1.1.0 ") && lines.get(2).contains("2026-11-20T10:00:00Z") && lines.get(2).endsWith("* current"), lines.get(2));

    Cli.Run json = ReleaseFixtures.cli("list", "--json", "--root", rootArg());
    assertEquals(0, json.exitCode(), json.err());
    assertEquals(Files.readString(tmp.resolve("release/index.json")), json.out());
  }

  @Test
  void anInterruptedLeftoverStillOccupiesItsVersion() throws Exception {
    Files.createDirectories(tmp.resolve("release/1.0.0"));
    StagedRelease staged = ReleaseFixtures.stage(tmp.resolve("work"), "1.0.0", ReleaseType.A, 0);
    assertThrows(ConflictException.class, () -> new ReleasePublisher().publish(staged, root(), Semver.parse("1.0.0"), false));
    try (var s = Files.list(tmp.resolve("release/1.0.0"))) {
      assertEquals(0, s.count(), "the existing directory was not filled in");
    }
  }
}
