package io.m31r.release.packaging;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.hashing.Hex;
import io.m31r.release.version.Semver;
import java.util.regex.Pattern;

/**
 * The content of a release's {@code metadata.json}. Every value is checked here, so a record that
 * exists is one the format allows; {@link ReleaseMetadataCodec} turns it into canonical bytes.
 * {@code dataset_version} is not a component: it is the dataset's root digest by definition.
 */
public record ReleaseMetadata(
    @JsonProperty(value = "architecture_compatibility", required = true) String architectureCompatibility,
    @JsonProperty(value = "config_hash", required = true) String configHash,
    @JsonProperty(value = "dataset", required = true) Dataset dataset,
    @JsonProperty(value = "date", required = true) String date,
    @JsonProperty(value = "docs_version", required = true) String docsVersion,
    @JsonProperty(value = "git_commit", required = true) String gitCommit,
    @JsonProperty(value = "git_tag", required = true) String gitTag,
    @JsonProperty(value = "metrics_summary", required = true) ObjectNode metricsSummary,
    @JsonProperty(value = "model_hash", required = true) String modelHash,
    @JsonProperty(value = "rebuild", required = true) Rebuild rebuild,
    @JsonProperty(value = "release_type", required = true) ReleaseType releaseType,
    @JsonProperty(value = "tests", required = true) Tests tests,
    @JsonProperty(value = "tokenizer_version", required = true) String tokenizerVersion,
    @JsonProperty(value = "tool", required = true) Tool tool,
    @JsonProperty(value = "training_seed", required = true) long trainingSeed,
    @JsonProperty(value = "trusted", required = true) boolean trusted,
    @JsonProperty(value = "version", required = true) Semver version) {

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
    if (!rebuild.checked() && releaseType != ReleaseType.D) {
      throw invalid("rebuild.checked", "must be true for a type " + releaseType.name()
          + " release: only an experiment (type D) may skip the rebuild check");
    }
    required("tests", tests);
    sha256("tokenizer_version", tokenizerVersion);
    required("tool", tool);
    if (trusted != releaseType.trusted()) {
      throw invalid("trusted", "must be " + releaseType.trusted() + " for a type " + releaseType + " release");
    }
    required("version", version);
    if (!("v" + version).equals(gitTag)) {
      throw invalid("git_tag", "must be 'v" + version + "', got '" + gitTag + "'");
    }
  }

  /**
   * The frozen dataset's root digest: {@code dataset.root_sha256}. Written, never bound: the
   * codec checks that a file's copy agrees with {@code dataset.root_sha256}.
   */
  @JsonProperty(value = "dataset_version", access = JsonProperty.Access.READ_ONLY)
  public String datasetVersion() {
    return dataset.rootSha256();
  }

  /** A copy: the record stays immutable even though Jackson nodes are not. */
  @Override
  public ObjectNode metricsSummary() {
    return metricsSummary.deepCopy();
  }

  /**
   * The frozen training dataset, as the freeze manifest records it.
   *
   * @param manifestSha256 the SHA-256 of the per-shard listing kept at
   *     {@code <root>/manifests/<version>.sha256}; null in releases made before it was kept
   */
  public record Dataset(
      @JsonProperty(value = "root_sha256", required = true) String rootSha256,
      @JsonProperty(value = "shard_count", required = true) long shardCount,
      @JsonProperty(value = "total_bytes", required = true) long totalBytes,
      @JsonProperty(value = "uri", required = true) String uri,
      @JsonProperty("manifest_sha256") @JsonInclude(JsonInclude.Include.NON_NULL) String manifestSha256) {
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

  /** How the model's rebuild from scratch was checked (metadata.json {@code rebuild.kind}). */
  public enum RebuildKind {
    /** Not checked: an experiment without a rebuild command or record. */
    NONE("none"),
    /** Retrained by export itself with {@code release.rebuild_command}. */
    LOCAL("local"),
    /** A rebuild record made elsewhere ({@code m31r attest-rebuild}) was checked instead of retraining. */
    ATTESTED("attested"),
    /** Retrained by export with {@code release.rebuild_command} as a Spark task on an executor ({@code rebuild_on: executor}). */
    EXECUTOR("executor");

    private final String word;

    RebuildKind(String word) {
      this.word = word;
    }

    @JsonValue
    public String word() {
      return word;
    }

    @JsonCreator
    public static RebuildKind parse(String word) {
      for (RebuildKind k : values()) {
        if (k.word.equals(word)) {
          return k;
        }
      }
      throw invalid("rebuild.kind", "must be none, local or attested: '" + word + "'");
    }
  }

  /**
   * The reproducibility check: the command that rebuilt the model, the digest it produced, and how
   * it was checked. {@code kind} null is the form written before rebuild kinds existed (no {@code
   * kind}, {@code key_hint}, {@code record_sha256}, {@code device} keys); it reads as {@link
   * #effectiveKind()} and is written back without them, so older releases keep their bytes.
   *
   * @param keyHint for an attested rebuild, the hint (SHA-256 of the public key PEM) of the trusted
   *     key that signed the record; null when the record was not verified by a trusted key
   * @param recordSha256 for an attested rebuild, the SHA-256 of the record file
   * @param device for an attested rebuild, the device kind the record names ({@code cpu} or a GPU name)
   */
  public record Rebuild(
      @JsonProperty(value = "checked", required = true) boolean checked,
      @JsonProperty(value = "command", required = true) String command,
      @JsonProperty(value = "model_hash", required = true) String modelHash,
      @JsonProperty("kind") RebuildKind kind,
      @JsonProperty("key_hint") String keyHint,
      @JsonProperty("record_sha256") String recordSha256,
      @JsonProperty("device") String device) {
    public Rebuild {
      nonBlank("rebuild.command", command);
      if (checked) {
        sha256("rebuild.model_hash", modelHash);
      } else if (modelHash != null) {
        throw invalid("rebuild.model_hash", "must be null when the rebuild was not checked");
      }
      if (kind == RebuildKind.EXECUTOR) {
        if (keyHint != null || recordSha256 != null || !checked) {
          throw invalid("rebuild", "a rebuild on an executor is checked, with a device and without key_hint or record_sha256");
        }
        nonBlank("rebuild.device", device);
      } else if (kind != RebuildKind.ATTESTED) {
        if (keyHint != null || recordSha256 != null || device != null) {
          throw invalid("rebuild", "key_hint, record_sha256 and device belong to an attested rebuild or one on an executor only");
        }
        if (kind == RebuildKind.LOCAL && !checked) {
          throw invalid("rebuild.checked", "must be true for a local rebuild");
        }
        if (kind == RebuildKind.NONE && checked) {
          throw invalid("rebuild.checked", "must be false when no rebuild was checked");
        }
      } else {
        sha256("rebuild.record_sha256", recordSha256);
        nonBlank("rebuild.device", device);
        if (keyHint != null) {
          sha256("rebuild.key_hint", keyHint);
        }
        if (checked != (keyHint != null)) {
          throw invalid("rebuild.checked", "an attested rebuild counts as checked exactly when a trusted key_hint signed its record");
        }
      }
    }

    public static Rebuild notChecked(String why) {
      return new Rebuild(false, why, null, RebuildKind.NONE, null, null, null);
    }

    public static Rebuild local(String command, String modelHash) {
      return new Rebuild(true, command, modelHash, RebuildKind.LOCAL, null, null, null);
    }

    public static Rebuild onExecutor(String command, String modelHash, String device) {
      return new Rebuild(true, command, modelHash, RebuildKind.EXECUTOR, null, null, device);
    }

    /** @param keyHint the trusted signer, or null for a record no trusted key vouches for (not checked) */
    public static Rebuild attested(String command, String modelHash, String keyHint, String recordSha256, String device) {
      return new Rebuild(keyHint != null, command, keyHint == null ? null : modelHash, RebuildKind.ATTESTED, keyHint,
          recordSha256, device);
    }

    /** The form written before rebuild kinds existed. */
    public static Rebuild legacy(boolean checked, String command, String modelHash) {
      return new Rebuild(checked, command, modelHash, null, null, null, null);
    }

    /** This check in the older form, for reproducing a release written without kinds; only a local or no rebuild has one. */
    public Rebuild inLegacyForm() {
      if (kind == RebuildKind.ATTESTED || kind == RebuildKind.EXECUTOR) {
        throw invalid("rebuild.kind", "an attested rebuild or one on an executor has no form without kinds");
      }
      return legacy(checked, command, modelHash);
    }

    /** The kind, also for metadata written before kinds: checked meant a local retrain. */
    public RebuildKind effectiveKind() {
      return kind != null ? kind : checked ? RebuildKind.LOCAL : RebuildKind.NONE;
    }
  }

  /** Counts from the test reports that gated this release. */
  public record Tests(
      @JsonProperty(value = "tests", required = true) int tests,
      @JsonProperty(value = "failures", required = true) int failures,
      @JsonProperty(value = "errors", required = true) int errors,
      @JsonProperty(value = "skipped", required = true) int skipped,
      @JsonProperty(value = "reports", required = true) int reports) {
    public Tests {
      notNegative("tests.tests", tests);
      notNegative("tests.failures", failures);
      notNegative("tests.errors", errors);
      notNegative("tests.skipped", skipped);
      notNegative("tests.reports", reports);
    }
  }

  /** The tool that built the release. */
  public record Tool(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "version", required = true) String version) {
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
