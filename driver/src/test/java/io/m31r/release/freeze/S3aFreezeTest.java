package io.m31r.release.freeze;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.m31r.release.testing.TestSpark;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Freeze and verify-dataset through S3A against a local S3 (moto_server on loopback). The S3A
 * settings reach the run only through the {@code hadoop:} map of a release.yaml passed with
 * {@code --config}, the way an operator would configure it. Tampering and inspection go through
 * the AWS SDK directly, not through S3A.
 */
class S3aFreezeTest extends RemoteStoreFreezeContract {
  private static final String BUCKET = "m31r-freeze-test";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

  @TempDir static Path serverDir;

  private static Process moto;
  private static String endpoint;
  private static S3Client s3;
  private static Path config;

  @BeforeAll
  static void startS3() throws Exception {
    Path executable = onPath("moto_server");
    if (executable == null) {
      // Skipped per test in requireS3: an assumption failing here would hide the tests entirely
      // (surefire reports an aborted class as zero tests run).
      return;
    }
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    endpoint = "http://127.0.0.1:" + port;
    Path log = serverDir.resolve("moto.log");
    moto =
        new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    awaitPort(port, log);

    s3 =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .overrideConfiguration(
                c -> c.apiCallTimeout(Duration.ofSeconds(20)).apiCallAttemptTimeout(Duration.ofSeconds(10)))
            .build();
    s3.createBucket(b -> b.bucket(BUCKET));

    // Per-bucket keys, so that nothing leaks into other tests sharing the Spark session's
    // Hadoop configuration. The explicit credentials provider keeps S3A away from the EC2
    // metadata service, which would only time out here.
    Map<String, String> hadoop = new TreeMap<>();
    String b = "fs.s3a.bucket." + BUCKET + ".";
    hadoop.put(b + "endpoint", endpoint);
    hadoop.put(b + "endpoint.region", "us-east-1");
    hadoop.put(b + "path.style.access", "true");
    hadoop.put(b + "connection.ssl.enabled", "false");
    hadoop.put(b + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    hadoop.put(b + "access.key", "test");
    hadoop.put(b + "secret.key", "test");
    hadoop.put(b + "attempts.maximum", "2");
    hadoop.put(b + "retry.limit", "2");
    hadoop.put(b + "retry.interval", "100ms");
    // 15 s is the least S3A accepts for these; it raises lower values with a warning.
    hadoop.put(b + "connection.establish.timeout", "15s");
    hadoop.put(b + "connection.timeout", "15s");
    config = serverDir.resolve("release.yaml");
    Files.writeString(
        config,
        "config_version: 1\n"
            + "freeze:\n"
            + "  buffer_bytes: 65536\n"
            + "  tasks_per_core: 2\n"
            + "  progress_interval_seconds: 1\n"
            + "  min_task_bytes: 1\n"
            + "hadoop:\n"
            + hadoop.entrySet().stream()
                .map(e -> "  " + e.getKey() + ": \"" + e.getValue() + "\"\n")
                .collect(Collectors.joining()),
        StandardCharsets.UTF_8);
  }

  @BeforeEach
  void requireS3() {
    assumeTrue(
        moto != null,
        "moto_server is not on PATH: install it (pip install 'moto[server]') to run the S3A tests");
  }

  @AfterAll
  static void stopS3() throws Exception {
    try {
      if (moto != null && moto.isAlive()) {
        // The S3A instance the runs cached would otherwise point at a dead endpoint.
        FileSystem.get(URI.create("s3a://" + BUCKET + "/"), TestSpark.session().sparkContext().hadoopConfiguration())
            .close();
      }
      if (s3 != null) {
        s3.close();
      }
    } finally {
      if (moto != null) {
        // The executable may be a launcher shim: stop what it started, then itself.
        moto.descendants().forEach(ProcessHandle::destroy);
        moto.destroy();
        if (!moto.waitFor(10, TimeUnit.SECONDS)) {
          moto.descendants().forEach(ProcessHandle::destroyForcibly);
          moto.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  @Override
  List<String> globalArgs() {
    return List.of("--config", config.toString());
  }

  @Override
  String uri(String key) {
    return "s3a://" + BUCKET + "/" + key;
  }

  @Override
  void put(String key, byte[] bytes) {
    s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
  }

  @Override
  byte[] get(String key) {
    try {
      return s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray();
    } catch (NoSuchKeyException e) {
      return null;
    }
  }

  @Override
  void delete(String key) {
    s3.headObject(r -> r.bucket(BUCKET).key(key));
    s3.deleteObject(r -> r.bucket(BUCKET).key(key));
  }

  /** Object keys under the prefix; S3A's directory markers (keys ending in '/') are not files. */
  @Override
  List<String> list(String prefix) {
    return s3.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix + "/")).contents().stream()
        .map(S3Object::key)
        .filter(k -> !k.endsWith("/"))
        .sorted()
        .collect(Collectors.toList());
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
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!moto.isAlive()) {
        throw new IllegalStateException(
            "moto_server exited with " + moto.exitValue() + ": " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(
        "moto_server did not listen on 127.0.0.1:" + port + " within " + STARTUP_TIMEOUT + ": " + Files.readString(log));
  }
}
