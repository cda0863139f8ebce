package io.m31r.release.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.ConflictException;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.packaging.ReleaseVerifier;
import io.m31r.release.packaging.StagedRelease;
import io.m31r.release.testing.MotoS3;
import io.m31r.release.testing.ReleaseFixtures;
import io.m31r.release.version.Semver;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Publishing by commit marker on an object store: S3A against moto_server on loopback. */
class S3aRegistryTest {
  private static final String BUCKET = "m31r-registry-test";

  @RegisterExtension static final MotoS3 S3 = new MotoS3(BUCKET);

  @TempDir Path tmp;

  @Test
  void publishRecordMakesAReleaseVisibleAndAnUncommittedOneStaysInvisibleButOccupied() throws Exception {
    Configuration conf = S3.hadoopConf();
    ReleaseRoot root = ReleaseRoot.at(S3.uri("release"), conf);
    assertTrue(root.usesCommitMarkers());
    StagedRelease v1 = ReleaseFixtures.stage(tmp.resolve("1"), "1.0.0", ReleaseType.A, 0);
    PublishedRelease p = new ReleasePublisher().publish(v1, root, Semver.parse("1.0.0"), false);
    assertEquals(v1.checksumSha256(), root.record(Semver.parse("1.0.0")).orElseThrow().checksumSha256());
    assertEquals(List.of(), new ReleaseVerifier().verify(p.dir(), conf).problems());
    new ReleaseIndex().rebuild(root);
    assertEquals("1.0.0\n", new String(new ControlFiles(conf).read(root.currentFile()).orElseThrow(), StandardCharsets.UTF_8));

    StagedRelease other = ReleaseFixtures.stage(tmp.resolve("2"), "1.0.0", ReleaseType.A, 1);
    assertThrows(ConflictException.class, () -> new ReleasePublisher().publish(other, root, Semver.parse("1.0.0"), false));
    assertEquals(List.of(), new ReleaseVerifier().verify(p.dir(), conf).problems(), "the first release is intact");

    // An upload interrupted before its marker: files present, no commit.
    FileSystem fs = root.fileSystem();
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(root.path(), "2.0.0/model.safetensors"), false)) {
      out.write(Files.readAllBytes(tmp.resolve("1/model-1.0.0/model.safetensors")));
    }
    assertEquals(List.of("1.0.0"), root.list().stream().map(e -> e.version().toString()).toList());
    assertTrue(root.find(Semver.parse("2.0.0")).isEmpty());
    StagedRelease v2 = ReleaseFixtures.stage(tmp.resolve("3"), "2.0.0", ReleaseType.A, 2);
    assertThrows(ConflictException.class, () -> new ReleasePublisher().publish(v2, root, Semver.parse("2.0.0"), false));
    new ReleaseIndex().rebuild(root);
    assertEquals("1.0.0\n", new String(new ControlFiles(conf).read(root.currentFile()).orElseThrow(), StandardCharsets.UTF_8));

    // gc: no lease holds 2.0.0, so the upload without a record is abandoned and removed; the
    // version can then be published. A recorded release is never touched.
    List<String> removed = new Leftovers(root).collect();
    assertEquals(List.of(root.releaseDir(Semver.parse("2.0.0"), false).toString()), removed);
    new ReleasePublisher().publish(v2, root, Semver.parse("2.0.0"), false);
    assertEquals(List.of("1.0.0", "2.0.0"), root.list().stream().map(e -> e.version().toString()).toList());
  }

  @Test
  void theLeaseIsAdvisoryYetARunStartingAfterAnotherSeesIt() throws Exception {
    ReleaseRoot root = ReleaseRoot.at(S3.uri("lease"), S3.hadoopConf());
    try (ExportLease first = ExportLease.acquire(root, Semver.parse("1.0.0"), tmp.resolve("m31r-export-a"))) {
      LeaseHeldException e = assertThrows(LeaseHeldException.class,
          () -> ExportLease.acquire(root, Semver.parse("1.0.0"), tmp.resolve("m31r-export-b")));
      assertTrue(e.getMessage().contains(first.holder().owner()), e.getMessage());
    }
    ExportLease.acquire(root, Semver.parse("1.0.0"), tmp.resolve("m31r-export-c")).close();
  }
}
