package io.m31r.release.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.packaging.ReleaseMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The SLSA v1 provenance of one release as an in-toto statement: the six files as subjects, what
 * was built from what (buildDefinition) and by what and when (runDetails). {@code startedOn} and
 * {@code finishedOn} are measurements, not inputs: they are named in {@link #NON_REPEATABLE} and
 * never compared when a release is reproduced.
 */
public record Provenance(
    Map<String, String> subjects,
    String version,
    String releaseType,
    String releaseConfigSha256,
    String datasetUri,
    String datasetRootSha256,
    String datasetManifestSha256,
    String tokenizerSha256,
    String trainingConfigSha256,
    String gitCommit,
    String suiteDigest,
    String toolVersion,
    String builderId,
    String startedOn,
    String finishedOn) {
  public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
  /** Documented in docs/signing.md; a name, not a location to fetch. */
  public static final String BUILD_TYPE = "https://m31r-release.invalid/buildtypes/export/v1";
  public static final List<String> NON_REPEATABLE =
      List.of("predicate.runDetails.metadata.startedOn", "predicate.runDetails.metadata.finishedOn");

  public Provenance {
    subjects = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(subjects));
    Objects.requireNonNull(version, "version");
  }

  public byte[] payload() {
    return StatementJson.render(tree(true));
  }

  /** The statement without the measured timestamps: what two runs of the same inputs share. */
  public byte[] repeatablePayload() {
    return StatementJson.render(tree(false));
  }

  /**
   * What two runs of the same inputs share: the statement without its subjects (the files, which
   * carry measurements in metadata.json) and without the fields named in {@link #NON_REPEATABLE}.
   */
  public static JsonNode repeatablePart(byte[] payload) {
    try {
      ObjectNode st = (ObjectNode) CanonicalJson.mapper().readTree(payload);
      st.remove("subject");
      ObjectNode meta = (ObjectNode) st.path("predicate").path("runDetails").path("metadata");
      meta.remove(List.of("startedOn", "finishedOn"));
      return st;
    } catch (IOException | ClassCastException e) {
      throw new SignatureInvalidException("the provenance payload is not an in-toto statement");
    }
  }

  /** This provenance with the measured times of {@code payload} (an earlier run's), if it has them. */
  public Provenance withTimes(byte[] payload) {
    try {
      JsonNode meta = CanonicalJson.mapper().readTree(payload).path("predicate").path("runDetails").path("metadata");
      return new Provenance(subjects, version, releaseType, releaseConfigSha256, datasetUri, datasetRootSha256,
          datasetManifestSha256, tokenizerSha256, trainingConfigSha256, gitCommit, suiteDigest, toolVersion, builderId,
          meta.path("startedOn").asText(startedOn), meta.path("finishedOn").asText(finishedOn));
    } catch (IOException e) {
      return this;
    }
  }

  private ObjectNode tree(boolean withTimes) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode st = f.objectNode();
    st.put("_type", ModelSigningStatement.STATEMENT_TYPE);
    ArrayNode subject = st.putArray("subject");
    subjects.forEach((name, sha) -> {
      ObjectNode s = subject.addObject();
      s.put("name", name);
      s.putObject("digest").put("sha256", sha);
    });
    st.put("predicateType", PREDICATE_TYPE);
    ObjectNode build = st.putObject("predicate").putObject("buildDefinition");
    build.put("buildType", BUILD_TYPE);
    ObjectNode ext = build.putObject("externalParameters");
    ext.put("release_config_sha256", releaseConfigSha256);
    ext.put("type", releaseType);
    ext.put("version", version);
    ArrayNode deps = build.putArray("resolvedDependencies");
    dep(deps, "dataset", datasetUri, "sha256", datasetRootSha256);
    dep(deps, "dataset-manifest", null, "sha256", datasetManifestSha256);
    dep(deps, "tokenizer", null, "sha256", tokenizerSha256);
    dep(deps, "training-config", null, "sha256", trainingConfigSha256);
    dep(deps, "git-commit", null, "gitCommit", gitCommit);
    dep(deps, "benchmark-suite", null, "sha256", suiteDigest);
    ObjectNode tool = deps.addObject();
    tool.put("name", "m31r-release");
    tool.put("uri", "pkg:generic/m31r-release@" + toolVersion);
    ObjectNode run = ((ObjectNode) st.get("predicate")).putObject("runDetails");
    ObjectNode builder = run.putObject("builder");
    builder.put("id", builderId);
    builder.putObject("version").put("m31r-release", toolVersion);
    ObjectNode meta = run.putObject("metadata");
    meta.put("invocationId", "export " + version);
    if (withTimes) {
      meta.put("startedOn", startedOn);
      meta.put("finishedOn", finishedOn);
    }
    return st;
  }

  private static void dep(ArrayNode deps, String name, String uri, String algorithm, String digest) {
    ObjectNode d = deps.addObject();
    d.put("name", name);
    if (uri != null) {
      d.put("uri", uri);
    }
    d.putObject("digest").put(algorithm, digest);
  }

  /**
   * Every disagreement between a signed provenance payload and the release: subjects against the
   * signed file digests, parameters and dependencies against metadata.json. Empty means consistent.
   */
  public static List<String> disagreements(byte[] payload, ReleaseMetadata m, Map<String, String> signedFiles) {
    List<String> out = new ArrayList<>();
    JsonNode st;
    try {
      st = CanonicalJson.mapper().readTree(payload);
    } catch (IOException e) {
      return List.of("the provenance payload is not JSON");
    }
    if (st == null || !ModelSigningStatement.STATEMENT_TYPE.equals(st.path("_type").asText())
        || !PREDICATE_TYPE.equals(st.path("predicateType").asText())) {
      return List.of("the provenance is not an in-toto statement with predicate " + PREDICATE_TYPE);
    }
    java.util.TreeMap<String, String> subjects = new java.util.TreeMap<>();
    st.path("subject").forEach(s -> subjects.put(s.path("name").asText(), s.path("digest").path("sha256").asText()));
    if (!subjects.equals(new java.util.TreeMap<>(signedFiles))) {
      out.add("provenance subjects " + subjects.keySet() + " do not carry the signed digests of " + new java.util.TreeSet<>(signedFiles.keySet()));
    }
    JsonNode build = st.path("predicate").path("buildDefinition");
    JsonNode ext = build.path("externalParameters");
    same(out, "externalParameters.version", ext.path("version").asText(), "version", m.version().toString());
    same(out, "externalParameters.type", ext.path("type").asText(), "release_type", m.releaseType().name());
    java.util.Map<String, JsonNode> deps = new java.util.HashMap<>();
    build.path("resolvedDependencies").forEach(d -> deps.put(d.path("name").asText(), d));
    same(out, "dataset digest", digest(deps, "dataset", "sha256"), "dataset.root_sha256", m.dataset().rootSha256());
    same(out, "dataset uri", deps.getOrDefault("dataset", JsonNodeFactory.instance.objectNode()).path("uri").asText(), "dataset.uri", m.dataset().uri());
    same(out, "tokenizer digest", digest(deps, "tokenizer", "sha256"), "tokenizer_version", m.tokenizerVersion());
    same(out, "training-config digest", digest(deps, "training-config", "sha256"), "config_hash", m.configHash());
    same(out, "git commit", digest(deps, "git-commit", "gitCommit"), "git_commit", m.gitCommit());
    same(out, "builder version", st.path("predicate").path("runDetails").path("builder").path("version").path("m31r-release").asText(),
        "tool.version", m.tool().version());
    return out;
  }

  private static String digest(Map<String, JsonNode> deps, String name, String algorithm) {
    JsonNode d = deps.get(name);
    return d == null ? "(absent)" : d.path("digest").path(algorithm).asText("(absent)");
  }

  private static void same(List<String> out, String what, String provenance, String key, String metadata) {
    if (!Objects.equals(provenance, metadata)) {
      out.add("provenance " + what + " " + provenance + " but metadata.json " + key + " is " + metadata);
    }
  }
}
