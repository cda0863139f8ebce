package io.m31r.release.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A local S3 for one test class: {@code moto_server} on a free loopback port with one bucket,
 * registered as {@code @RegisterExtension static final MotoS3 S3 = new MotoS3("bucket")}. Without
 * {@code moto_server} on PATH every test of the class is skipped, one by one: an assumption failing
 * in beforeAll would abort the class, and surefire reports an aborted class as zero tests run.
 */
public final class MotoS3 implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  public static final String EXECUTABLE = "moto_server";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final String HOST = "127.0.0.1";

  private final String bucket;
  private Path logDir;
  private Process process;
  private String endpoint;
  private S3Client client;
  private Map<String, String> hadoopSettings;
  private Configuration hadoopConf;

  public MotoS3(String bucket) {
    if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{2,62}")) {
      throw new IllegalArgumentException("not an S3 bucket name: " + bucket);
    }
    this.bucket = bucket;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Optional<Path> executable = onPath(EXECUTABLE);
    if (executable.isEmpty()) {
      return;
    }
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    endpoint = "http://" + HOST + ":" + port;
    logDir = Files.createTempDirectory("moto-s3");
    Path log = logDir.resolve("moto.log");
    process =
        new ProcessBuilder(executable.get().toString(), "-H", HOST, "-p", Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    awaitPort(port, log);
    client =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .overrideConfiguration(
                c -> c.apiCallTimeout(Duration.ofSeconds(20)).apiCallAttemptTimeout(Duration.ofSeconds(10)))
            .build();
    client.createBucket(b -> b.bucket(bucket));
    hadoopSettings = Collections.unmodifiableMap(s3aSettings());
    hadoopConf = new Configuration();
    hadoopSettings.forEach(hadoopConf::set);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    assumeTrue(
        isRunning(),
        EXECUTABLE + " is not on PATH: install it (pip install 'moto[server]') to run the S3A tests");
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (process == null) {
      return;
    }
    // The checks for null cover a start that failed half-way, after which JUnit still calls this.
    try {
      if (hadoopConf != null && process.isAlive()) {
        // Hadoop caches file systems by scheme, authority and user, not by configuration: this
        // closes the instance the code under test cached, which would otherwise point at a dead
        // endpoint in later test classes.
        FileSystem.get(URI.create("s3a://" + bucket + "/"), hadoopConf).close();
      }
      if (client != null) {
        client.close();
      }
    } finally {
      try {
        stopProcess();
      } finally {
        SampleWorkspaces.deleteTree(logDir);
      }
    }
  }

  /** False when {@code moto_server} is not installed; the tests are skipped then. */
  public boolean isRunning() {
    return process != null;
  }

  public String bucket() {
    return bucket;
  }

  /** The S3A URI of a key in the bucket. */
  public String uri(String key) {
    return "s3a://" + bucket + "/" + key;
  }

  /** A client that bypasses S3A, for tampering and inspection independent of the code under test. */
  public S3Client client() {
    return running(client);
  }

  /**
   * The S3A settings that reach the bucket, sorted. Per-bucket keys, so that nothing leaks into
   * other tests sharing a Hadoop configuration; the explicit credentials provider keeps S3A away
   * from the EC2 metadata service, which would only time out here.
   */
  public Map<String, String> hadoopSettings() {
    return running(hadoopSettings);
  }

  /** A Hadoop configuration holding {@link #hadoopSettings()}. */
  public Configuration hadoopConf() {
    return running(hadoopConf);
  }

  private Map<String, String> s3aSettings() {
    Map<String, String> s = new TreeMap<>();
    String b = "fs.s3a.bucket." + bucket + ".";
    s.put(b + "endpoint", endpoint);
    s.put(b + "endpoint.region", "us-east-1");
    s.put(b + "path.style.access", "true");
    s.put(b + "connection.ssl.enabled", "false");
    s.put(b + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    s.put(b + "access.key", "test");
    s.put(b + "secret.key", "test");
    s.put(b + "attempts.maximum", "2");
    s.put(b + "retry.limit", "2");
    s.put(b + "retry.interval", "100ms");
    // 15 s is the least S3A accepts for these; it raises lower values with a warning.
    s.put(b + "connection.establish.timeout", "15s");
    s.put(b + "connection.timeout", "15s");
    return s;
  }

  private <T> T running(T value) {
    if (process == null) {
      throw new IllegalStateException(EXECUTABLE + " is not running for bucket " + bucket);
    }
    return value;
  }

  private void stopProcess() throws InterruptedException {
    // The executable may be a launcher shim: stop what it started, then itself.
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private void awaitPort(int port, Path log) throws Exception {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            EXECUTABLE + " exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(HOST, port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(
        EXECUTABLE + " did not listen on " + HOST + ":" + port + " within " + STARTUP_TIMEOUT + ": "
            + Files.readString(log));
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
