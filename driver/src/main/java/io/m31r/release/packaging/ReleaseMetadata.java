package io.m31r.release.packaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.hashing.Hex;
import io.m31r.release.version.Semver;
import java.util.regex.Pattern;

/**
 * The content of a release's {@code metadata.json}. Every value is checked here, so a record that
 * exists is one the format allows; {@link ReleaseMetadataCodec} turns it into canonical bytes.
 * {@code dataset_version} is not a component: it is the dataset's root digest by definition.
 */
public record ReleaseMetadata(
    String architectureCompatibility,
    String configHash,
    Dataset dataset,
    String date,
    String docsVersion,
    String gitCommit,
    String gitTag,
    ObjectNode metricsSummary,
    String modelHash,
    Rebuild rebuild,
    ReleaseType releaseType,
    Tests tests,
    String tokenizerVersion,
    Tool tool,
    long trainingSeed,
    boolean trusted,
    String version) {

  private static final Pattern GIT_COMMIT = Pattern.compile("[0-9a-f]{40}");
  // Whole seconds in UTC only: the date comes from the commit time, and one spelling per instant
  // keeps the bytes reproducible.
  private static final Pattern UTC_DATE =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

  public ReleaseMetadata {
    nonBlank("architecture_compatibility", architectureCompatibility);
    sha256("config_hash", configHash);
    required("dataset", dataset);
    nonBlank("date", date);
    if (!UTC_DATE.matcher(date).matches() || !parsesAsInstant(date)) {
      throw invalid("date", "must be ISO-8601 UTC like 2026-11-20T10:00:00Z: " + date);
    }
    nonBlank("docs_version", docsVersion);
    nonBlank("git_commit", gitCommit);
    if (!GIT_COMMIT.matcher(gitCommit).matches()) {
      throw invalid("git_commit", "must be 40 lower-case hex digits: " + gitCommit);
    }
    required("metrics_summary", metricsSummary);
    metricsSummary = metricsSummary.deepCopy();
    sha256("model_hash", modelHash);
    required("rebuild", rebuild);
    if (rebuild.checked() && !modelHash.equals(rebuild.modelHash())) {
      throw invalid("rebuild.model_hash", "a checked rebuild must reproduce model_hash " + modelHash
          + ", got " + rebuild.modelHash());
    }
    required("release_type", releaseType);
    required("tests", tests);
    sha256("tokenizer_version", tokenizerVersion);
    required("tool", tool);
    if (trusted != releaseType.trusted()) {
      throw invalid("trusted", "must be " + releaseType.trusted() + " for a type " + releaseType + " release");
    }
    nonBlank("version", version);
    try {
      Semver.parse(version);
    } catch (BadInputException e) {
      throw invalid("version", e.getMessage());
    }
    if (!("v" + version).equals(gitTag)) {
      throw invalid("git_tag", "must be 'v" + version + "', got '" + gitTag + "'");
    }
  }

  /** The frozen dataset's root digest: {@code dataset.root_sha256}. */
  public String datasetVersion() {
    return dataset.rootSha256();
  }

  /** A copy: the record stays immutable even though Jackson nodes are not. */
  @Override
  public ObjectNode metricsSummary() {
    return metricsSummary.deepCopy();
  }

  public Semver semver() {
    return Semver.parse(version);
  }

  /**
   * The frozen training dataset, as the freeze manifest records it.
   *
   * @param manifestSha256 the SHA-256 of the per-shard listing kept at
   *     {@code <root>/manifests/<version>.sha256}; null in releases made before it was kept
   */
  public record Dataset(String rootSha256, long shardCount, long totalBytes, String uri, String manifestSha256) {
    public Dataset {
      if (manifestSha256 != null) {
        sha256("dataset.manifest_sha256", manifestSha256);
      }
      sha256("dataset.root_sha256", rootSha256);
      if (shardCount < 1) {
        throw invalid("dataset.shard_count", "must be at least 1: " + shardCount);
      }
      if (totalBytes < 0) {
        throw invalid("dataset.total_bytes", "must not be negative: " + totalBytes);
      }
      nonBlank("dataset.uri", uri);
    }
  }

  /** The reproducibility check: the command that rebuilt the model and the digest it produced. */
  public record Rebuild(boolean checked, String command, String modelHash) {
    public Rebuild {
      nonBlank("rebuild.command", command);
      if (checked) {
        sha256("rebuild.model_hash", modelHash);
      } else if (modelHash != null) {
        throw invalid("rebuild.model_hash", "must be null when the rebuild was not checked");
      }
    }
  }

  /** Counts from the test reports that gated this release. */
  public record Tests(int tests, int failures, int errors, int skipped, int reports) {
    public Tests {
      notNegative("tests.tests", tests);
      notNegative("tests.failures", failures);
      notNegative("tests.errors", errors);
      notNegative("tests.skipped", skipped);
      notNegative("tests.reports", reports);
    }
  }

  /** The tool that built the release. */
  public record Tool(String name, String version) {
    public Tool {
      nonBlank("tool.name", name);
      nonBlank("tool.version", version);
    }
  }

  private static boolean parsesAsInstant(String date) {
    try {
      java.time.Instant.parse(date);
      return true;
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }

  private static void required(String key, Object value) {
    if (value == null) {
      throw invalid(key, "is missing");
    }
  }

  private static void nonBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw invalid(key, "must be a non-empty string");
    }
  }

  private static void sha256(String key, String value) {
    if (!Hex.isSha256(value)) {
      throw invalid(key, "must be a SHA-256 in 64 lower-case hex digits: " + value);
    }
  }

  private static void notNegative(String key, int value) {
    if (value < 0) {
      throw invalid(key, "must not be negative: " + value);
    }
  }

  private static InvalidReleaseMetadataException invalid(String key, String problem) {
    return new InvalidReleaseMetadataException("metadata " + key + " " + problem);
  }
}
