package io.m31r.release.pipeline;

import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.preflight.UrlCheck;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The release section's locations, resolved against the config's folder and checked to exist
 * before any work: local files for what is read on the driver, URIs (local, HDFS, S3A) for the
 * dataset and the release root.
 */
public record ReleaseInputs(
    Path model, Path tokenizer, Path trainingConfig, String dataset, Path suite, Path testReports, String root,
    Path gitRepository) {

  public static ReleaseInputs resolve(ReleaseSettings s, Path baseDir) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("release.checkpoint", s.checkpoint());
    all.put("release.tokenizer", s.tokenizer());
    all.put("release.training_config", s.trainingConfig());
    all.put("release.dataset", s.dataset());
    all.put("release.suite", s.suite());
    if (s.testReports() != null) {
      all.put("release.test_reports", s.testReports());
    }
    all.put("release.root", s.root());
    all.put("release.git_repository", s.gitRepository());
    // No remote calls (section 25): artifact inputs must be files or cluster storage, not web URLs.
    UrlCheck.requireNoRemoteInputs(all);
    Path checkpoint = local("release.checkpoint", s.checkpoint(), baseDir);
    Path model = Files.isDirectory(checkpoint) ? checkpoint.resolve("model.safetensors") : checkpoint;
    return new ReleaseInputs(
        existingFile("release.checkpoint", model),
        existingFile("release.tokenizer", local("release.tokenizer", s.tokenizer(), baseDir)),
        existingFile("release.training_config", local("release.training_config", s.trainingConfig(), baseDir)),
        uri(s.dataset(), baseDir),
        existing("release.suite", local("release.suite", s.suite(), baseDir)),
        s.testReports() == null ? null : existingDir("release.test_reports", local("release.test_reports", s.testReports(), baseDir)),
        uri(s.root(), baseDir),
        existingDir("release.git_repository", local("release.git_repository", s.gitRepository(), baseDir)));
  }

  /** Whether the release root is on the local file system (a report can then sit beside it). */
  public boolean localRoot() {
    return root.startsWith("/") || root.startsWith("file:");
  }

  private static Path local(String key, String value, Path baseDir) {
    if (value.contains("://")) {
      throw new BadInputException("config " + key + ": must be a local path, not " + value);
    }
    return baseDir.resolve(value).toAbsolutePath().normalize();
  }

  private static String uri(String value, Path baseDir) {
    URI u = URI.create(value.replace(" ", "%20"));
    return u.getScheme() == null ? baseDir.resolve(value).toAbsolutePath().normalize().toString() : value;
  }

  private static Path existingFile(String key, Path p) {
    if (!Files.isRegularFile(p)) {
      throw new BadInputException("config " + key + ": no file at " + p);
    }
    return p;
  }

  private static Path existingDir(String key, Path p) {
    if (!Files.isDirectory(p)) {
      throw new BadInputException("config " + key + ": no directory at " + p);
    }
    return p;
  }

  private static Path existing(String key, Path p) {
    if (!Files.exists(p)) {
      throw new BadInputException("config " + key + ": nothing at " + p);
    }
    return p;
  }
}
