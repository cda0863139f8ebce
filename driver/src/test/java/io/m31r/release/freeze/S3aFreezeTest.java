package io.m31r.release.freeze;

import io.m31r.release.testing.MotoS3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Freeze and verify-dataset through S3A against a local S3 (moto_server on loopback). The S3A
 * settings reach the run only through the {@code hadoop:} map of a release.yaml passed with
 * {@code --config}, the way an operator would configure it. Tampering and inspection go through
 * the AWS SDK directly, not through S3A.
 */
class S3aFreezeTest extends RemoteStoreFreezeContract {
  @RegisterExtension static final MotoS3 S3 = new MotoS3("m31r-freeze-test");

  @TempDir static Path configDir;

  private static Path config;

  @BeforeAll
  static void writeConfig() throws Exception {
    if (!S3.isRunning()) {
      return;
    }
    config = configDir.resolve("release.yaml");
    Files.writeString(
        config,
        "config_version: 1\n"
            + "freeze:\n"
            + "  buffer_bytes: 65536\n"
            + "  tasks_per_core: 2\n"
            + "  progress_interval_seconds: 1\n"
            + "  min_task_bytes: 1\n"
            + "hadoop:\n"
            + S3.hadoopSettings().entrySet().stream()
                .map(e -> "  " + e.getKey() + ": \"" + e.getValue() + "\"\n")
                .collect(Collectors.joining()),
        StandardCharsets.UTF_8);
  }

  @Override
  List<String> globalArgs() {
    return List.of("--config", config.toString());
  }

  @Override
  String uri(String key) {
    return S3.uri(key);
  }

  @Override
  void put(String key, byte[] bytes) {
    S3.client().putObject(r -> r.bucket(S3.bucket()).key(key), RequestBody.fromBytes(bytes));
  }

  @Override
  byte[] get(String key) {
    try {
      return S3.client().getObjectAsBytes(r -> r.bucket(S3.bucket()).key(key)).asByteArray();
    } catch (NoSuchKeyException e) {
      return null;
    }
  }

  @Override
  void delete(String key) {
    S3.client().headObject(r -> r.bucket(S3.bucket()).key(key));
    S3.client().deleteObject(r -> r.bucket(S3.bucket()).key(key));
  }

  /** Object keys under the prefix; S3A's directory markers (keys ending in '/') are not files. */
  @Override
  List<String> list(String prefix) {
    return S3.client().listObjectsV2Paginator(r -> r.bucket(S3.bucket()).prefix(prefix + "/")).contents().stream()
        .map(S3Object::key)
        .filter(k -> !k.endsWith("/"))
        .sorted()
        .collect(Collectors.toList());
  }
}
