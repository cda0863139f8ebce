package io.m31r.release.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.testing.MiniHdfs;
import io.m31r.release.testing.ReleaseFixtures;
import io.m31r.release.testing.Cli;
import io.m31r.release.version.Semver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The export lease (issue 16 item 8) and the leftovers of abandoned runs (item 9). */
class LeaseTest {
  @RegisterExtension static final MiniHdfs HDFS = new MiniHdfs();

  @TempDir Path tmp;

  private ReleaseRoot local() {
    return ReleaseRoot.at(tmp.resolve("release").toString(), new Configuration());
  }

  /** Eight contenders released at once: exactly one holds the lease, the others are told who. */
  private static void exactlyOneWins(ReleaseRoot root, Path tmp) throws Exception {
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ExportLease>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Path work = tmp.resolve("m31r-export-" + i);
      Callable<ExportLease> c = () -> {
        start.await();
        try {
          return ExportLease.acquire(root, Semver.parse("1.0.0"), work);
        } catch (LeaseHeldException e) {
          assertTrue(e.getMessage().contains("is being exported by") && e.getMessage().contains("retry later"), e.getMessage());
          return null;
        }
      };
      futures.add(pool.submit(c));
    }
    start.countDown();
    List<ExportLease> won = new ArrayList<>();
    for (Future<ExportLease> f : futures) {
      ExportLease l = f.get();
      if (l != null) {
        won.add(l);
      }
    }
    pool.shutdown();
    assertEquals(1, won.size());
    won.get(0).close();
    assertFalse(root.exists(root.leaseFile(Semver.parse("1.0.0"))), "a released lease is gone");
    ExportLease.acquire(root, Semver.parse("1.0.0"), tmp.resolve("m31r-export-next")).close();
  }

  @Test
  void exactlyOneConcurrentExportHoldsTheLeaseLocally() throws Exception {
    exactlyOneWins(local(), tmp);
  }

  @Test
  void exactlyOneConcurrentExportHoldsTheLeaseOnHdfs() throws Exception {
    exactlyOneWins(ReleaseRoot.at(HDFS.uri("lease/release"), new Configuration()), tmp);
  }

  @Test
  void aDeadHoldersLeaseIsTakenOverAndItsLeftoversClearedButALiveOnesNever() throws Exception {
    ReleaseRoot root = local();
    // A holder on this host whose process is gone: its work folder and staging copy are leftovers.
    Path deadWork = Files.createDirectories(tmp.resolve("m31r-export-1.0.0-dead"));
    Files.writeString(deadWork.resolve("candidate.bin"), "x");
    Path staging = Files.createDirectories(tmp.resolve("release/.staging/1.0.0.0f0e"));
    Files.writeString(staging.resolve("model.safetensors"), "partial");
    staging.resolve("model.safetensors").toFile().setWritable(false);
    Files.createDirectories(tmp.resolve("release/.locks"));
    Files.write(tmp.resolve("release/.locks/1.0.0"),
        new LeaseHolder("dead-owner", ExportLease.thisHost(), deadPid(), Instant.now(), deadWork.toString()).bytes());
    // A live holder (this JVM) of another version: nothing of it may go.
    Path liveWork = Files.createDirectories(tmp.resolve("m31r-export-2.0.0-live"));
    Path liveStaging = Files.createDirectories(tmp.resolve("release/.staging/2.0.0.abcd"));
    try (ExportLease live = ExportLease.acquire(root, Semver.parse("2.0.0"), liveWork)) {
      Cli.Run gc = ReleaseFixtures.cli("gc", "--root", tmp.resolve("release").toString());
      assertEquals(0, gc.exitCode(), gc.err());
      assertTrue(gc.out().contains(deadWork.toString()) && gc.out().contains("1.0.0.0f0e"), gc.out());
      assertFalse(Files.exists(deadWork));
      assertFalse(Files.exists(staging));
      assertFalse(Files.exists(tmp.resolve("release/.locks/1.0.0")));
      assertTrue(Files.exists(liveWork) && Files.exists(liveStaging) && Files.exists(tmp.resolve("release/.locks/2.0.0")));
      assertThrows(LeaseHeldException.class, () -> ExportLease.acquire(root, Semver.parse("2.0.0"), tmp.resolve("m31r-export-x")));
    }

    // A rerun taking over a stale lease clears the same leftovers itself.
    Path deadWork2 = Files.createDirectories(tmp.resolve("m31r-export-3.0.0-dead"));
    Files.write(tmp.resolve("release/.locks/3.0.0"),
        new LeaseHolder("dead-2", ExportLease.thisHost(), deadPid(), Instant.now(), deadWork2.toString()).bytes());
    try (ExportLease taken = ExportLease.acquire(root, Semver.parse("3.0.0"), tmp.resolve("m31r-export-3.0.0-new"))) {
      assertEquals("dead-2", taken.tookOverFrom().orElseThrow().owner());
      assertFalse(Files.exists(deadWork2));
    }
    // Another host's lease is trusted for a day.
    Files.write(tmp.resolve("release/.locks/4.0.0"),
        new LeaseHolder("remote", "another-host.invalid", 1, Instant.now(), "/nonexistent/m31r-export-4").bytes());
    assertThrows(LeaseHeldException.class, () -> ExportLease.acquire(root, Semver.parse("4.0.0"), tmp.resolve("m31r-export-4")));
    Files.write(tmp.resolve("release/.locks/5.0.0"),
        new LeaseHolder("old", "another-host.invalid", 1, Instant.now().minus(LeaseHolder.STALE_AFTER).minusSeconds(60),
            "/nonexistent/m31r-export-5").bytes());
    ExportLease.acquire(root, Semver.parse("5.0.0"), tmp.resolve("m31r-export-5")).close();
  }

  /** The pid of a process that has exited. */
  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }
}
