package io.m31r.release.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.m31r.release.failure.ConflictException;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.packaging.ReleaseVerifier;
import io.m31r.release.packaging.StagedRelease;
import io.m31r.release.testing.ReleaseFixtures;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Publishing by commit marker on an object store: S3A against moto_server on loopback. */
class S3aRegistryTest {
  private static final String BUCKET = "m31r-registry-test";

  @TempDir static Path serverDir;
  @TempDir Path tmp;

  private static Process moto;
  private static Configuration conf;

  @BeforeAll
  static void startS3() throws Exception {
    Path executable = onPath("moto_server");
    if (executable == null) {
      return;
    }
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + port;
    Path log = serverDir.resolve("moto.log");
    moto = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    awaitPort(port, log);
    try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
      s3.createBucket(b -> b.bucket(BUCKET));
    }
    conf = new Configuration();
    String b = "fs.s3a.bucket." + BUCKET + ".";
    conf.set(b + "endpoint", endpoint);
    conf.set(b + "endpoint.region", "us-east-1");
    conf.set(b + "path.style.access", "true");
    conf.set(b + "connection.ssl.enabled", "false");
    conf.set(b + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.set(b + "access.key", "test");
    conf.set(b + "secret.key", "test");
    conf.set(b + "attempts.maximum", "2");
    conf.set(b + "retry.limit", "2");
  }

  @BeforeEach
  void requireS3() {
    assumeTrue(moto != null, "moto_server is not on PATH: install it (pip install 'moto[server]') to run the S3A tests");
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (moto == null) {
      return;
    }
    try {
      FileSystem.get(URI.create("s3a://" + BUCKET + "/"), conf).close();
    } finally {
      moto.descendants().forEach(ProcessHandle::destroy);
      moto.destroy();
      if (!moto.waitFor(10, TimeUnit.SECONDS)) {
        moto.descendants().forEach(ProcessHandle::destroyForcibly);
        moto.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void commitMarkerMakesAReleaseVisibleAndAnUncommittedOneStaysInvisibleButOccupied() throws Exception {
    ReleaseRoot root = ReleaseRoot.at("s3a://" + BUCKET + "/release", conf);
    assertTrue(root.usesCommitMarkers());
    StagedRelease v1 = ReleaseFixtures.stage(tmp.resolve("1"), "1.0.0", ReleaseType.A, 0);
    PublishedRelease p = new ReleasePublisher().publish(v1, root, "1.0.0", false);
    byte[] marker = new ControlFiles(conf).read(root.commitMarker("1.0.0")).orElseThrow();
    assertEquals(v1.checksumSha256() + "\n", new String(marker, StandardCharsets.UTF_8));
    assertEquals(List.of(), new ReleaseVerifier().verify(p.dir(), conf).problems());
    new ReleaseIndex().rebuild(root);
    assertEquals("1.0.0\n", new String(new ControlFiles(conf).read(root.currentFile()).orElseThrow(), StandardCharsets.UTF_8));

    StagedRelease other = ReleaseFixtures.stage(tmp.resolve("2"), "1.0.0", ReleaseType.A, 1);
    assertThrows(ConflictException.class, () -> new ReleasePublisher().publish(other, root, "1.0.0", false));
    assertEquals(List.of(), new ReleaseVerifier().verify(p.dir(), conf).problems(), "the first release is intact");

    // An upload interrupted before its marker: files present, no commit.
    FileSystem fs = root.fileSystem();
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(root.path(), "2.0.0/model.safetensors"), false)) {
      out.write(Files.readAllBytes(tmp.resolve("1/model-1.0.0/model.safetensors")));
    }
    assertEquals(List.of("1.0.0"), root.list().stream().map(ReleaseEntry::version).toList());
    assertTrue(root.find("2.0.0").isEmpty());
    StagedRelease v2 = ReleaseFixtures.stage(tmp.resolve("3"), "2.0.0", ReleaseType.A, 2);
    assertThrows(ConflictException.class, () -> new ReleasePublisher().publish(v2, root, "2.0.0", false));
    new ReleaseIndex().rebuild(root);
    assertEquals("1.0.0\n", new String(new ControlFiles(conf).read(root.currentFile()).orElseThrow(), StandardCharsets.UTF_8));
  }

  private static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  private static void awaitPort(int port, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!moto.isAlive()) {
        throw new IllegalStateException("moto_server exited with " + moto.exitValue() + ": " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("moto_server did not listen on 127.0.0.1:" + port + ": " + Files.readString(log));
  }
}
