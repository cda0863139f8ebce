package io.m31r.release.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.m31r.release.failure.BadInputException;
import java.util.List;

/**
 * The {@code release:} section of release.yaml: every input of {@code m31r export}. Local paths
 * are relative to the folder of the release.yaml that names them; {@code dataset} and {@code root}
 * may also be {@code hdfs:} or {@code s3a:} URIs.
 *
 * @param checkpoint directory holding the candidate {@code model.safetensors}
 * @param tokenizer the tokenizer.json to freeze and ship
 * @param trainingConfig the config.yaml the model was trained with (model and train sections)
 * @param dataset the training dataset to freeze
 * @param suite the benchmark suite (M31R directories or MultiPL-E JSONL)
 * @param testReports directory of JUnit XML reports already written (report-folder mode, type D
 *     only: such reports are not tied to the commit); null when a test command is configured
 * @param testCommand the project's tests, run in a clean checkout of the released commit; {@code
 *     {reports}} is replaced by an empty folder the command must write JUnit XML into, {@code
 *     {m31r}} by this tool's launcher. Empty: report-folder mode
 * @param refuseSkippedTests whether a skipped test blocks the tests gate (they are always counted)
 * @param testTimeoutSeconds how long the test command may run
 * @param root the release root: releases go to {@code root/<version>/}
 * @param gitRepository the repository whose HEAD is released and tagged
 * @param rebuildCommand the command that rebuilds the model from scratch; {@code {config}} and
 *     {@code {out}} are replaced by the training config and an empty output folder, {@code {m31r}}
 *     by this tool's own launcher. Empty: no rebuild, allowed for type D only
 * @param rebuildAttestation a rebuild record made elsewhere ({@code m31r attest-rebuild}), checked
 *     instead of retraining; null: none. Exclusive with a non-empty {@code rebuildCommand}
 * @param rebuildTrustedKeys the trusted-keys file (docs/signing.md) the record must be signed by;
 *     without it a record can support type D only
 * @param rebuildOn where {@code rebuildCommand} runs: {@code driver} (default), a child process of
 *     the driver, or {@code executor}, a Spark task on one executor with the inputs shipped to it
 * @param signing how the release is signed; null: unsigned (docs/signing.md)
 * @param tagSigning how the release tag is signed; null: an unsigned annotated tag
 */
public record ReleaseSettings(
    @JsonProperty(value = "checkpoint", required = true) String checkpoint,
    @JsonProperty(value = "tokenizer", required = true) String tokenizer,
    @JsonProperty(value = "training_config", required = true) String trainingConfig,
    @JsonProperty(value = "dataset", required = true) String dataset,
    @JsonProperty(value = "suite", required = true) String suite,
    @JsonProperty(value = "test_reports") String testReports,
    @JsonProperty(value = "test_command") List<String> testCommand,
    @JsonProperty(value = "refuse_skipped_tests") Boolean refuseSkippedTests,
    @JsonProperty(value = "test_timeout_seconds") Integer testTimeoutSeconds,
    @JsonProperty(value = "root", required = true) String root,
    @JsonProperty(value = "git_repository", required = true) String gitRepository,
    @JsonProperty(value = "docs_version", required = true) String docsVersion,
    @JsonProperty(value = "architecture_compatibility", required = true) String architectureCompatibility,
    @JsonProperty(value = "smoke_prompt", required = true) String smokePrompt,
    @JsonProperty(value = "rebuild_command", required = true) List<String> rebuildCommand,
    @JsonProperty(value = "rebuild_attestation") String rebuildAttestation,
    @JsonProperty(value = "rebuild_trusted_keys") String rebuildTrustedKeys,
    @JsonProperty(value = "rebuild_on") String rebuildOn,
    @JsonProperty(value = "tagger", required = true) Tagger tagger,
    @JsonProperty(value = "gates", required = true) Gates gates,
    @JsonProperty(value = "bench", required = true) Bench bench,
    @JsonProperty("signing") SigningSettings signing,
    @JsonProperty("tag_signing") TagSigningSettings tagSigning,

    @JsonProperty(value = "git_remote") GitRemote gitRemote) {

  /**
   * Where {@code export} pushes the release tag after publishing (optional). {@code url} is a
   * {@code file:}, {@code git://}, {@code https://} or SSH ({@code ssh://user@host[:port]/path} or
   * {@code user@host:path}) URL, with no password in it. HTTPS may name in {@code token_env} the
   * environment variable holding a token, read at push time and never logged. SSH needs
   * {@code ssh_key_file} (an unencrypted private key) and {@code known_hosts_file}, both relative
   * to release.yaml: only that key is offered and only those host keys are trusted.
   */
  public record GitRemote(
      @JsonProperty(value = "url", required = true) String url,
      @JsonProperty(value = "token_env") String tokenEnv,
      @JsonProperty(value = "username") String username,
      @JsonProperty(value = "ssh_key_file") String sshKeyFile,
      @JsonProperty(value = "known_hosts_file") String knownHostsFile) {
    private static final java.util.regex.Pattern SCP_LIKE = java.util.regex.Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:.+");

    @JsonCreator
    public GitRemote {
      nonBlank("release.git_remote.url", url);
      String lower = url.toLowerCase(java.util.Locale.ROOT);
      boolean ssh = isSsh(url);
      if (!ssh && !(lower.startsWith("file:") || lower.startsWith("git://") || lower.startsWith("https://") || lower.startsWith("http://"))) {
        throw new BadInputException("config release.git_remote.url: must start with file:, git://, https:// or ssh://, or be user@host:path");
      }
      if (java.util.regex.Pattern.compile(ssh ? "^[a-z]+://[^/@]*:[^/@]*@" : "^[a-z]+://[^/]*@").matcher(lower).find()) {
        throw new BadInputException("config release.git_remote.url: no credentials in the URL; "
            + (ssh ? "name a key in ssh_key_file" : "name an environment variable in token_env"));
      }
      if (tokenEnv != null && !tokenEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new BadInputException("config release.git_remote.token_env: must be an environment variable name");
      }
      if (username != null && username.isBlank()) {
        throw new BadInputException("config release.git_remote.username: must be a non-empty string when given");
      }
      if (ssh) {
        if (tokenEnv != null || username != null) {
          throw new BadInputException("config release.git_remote: token_env and username are for https://; an SSH remote takes ssh_key_file");
        }
        nonBlank("release.git_remote.ssh_key_file", sshKeyFile);
        nonBlank("release.git_remote.known_hosts_file", knownHostsFile);
      } else if (sshKeyFile != null || knownHostsFile != null) {
        throw new BadInputException("config release.git_remote: ssh_key_file and known_hosts_file are only for an SSH url");
      }
    }

    /** Reaches the remote over SSH. */
    public boolean isSsh() {
      return isSsh(url);
    }

    private static boolean isSsh(String url) {
      return url.toLowerCase(java.util.Locale.ROOT).startsWith("ssh://") || (!url.contains("://") && SCP_LIKE.matcher(url).matches());
    }
  }

  /** The tagger of the annotated tag (named explicitly, as CI has no identity); signing is {@code tag_signing}. */
  public record Tagger(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "email", required = true) String email) {
    @JsonCreator
    public Tagger {
      nonBlank("release.tagger.name", name);
      nonBlank("release.tagger.email", email);
    }
  }

  /**
   * Absolute targets; a drop of more than 5% against the previous release blocks as well. pass@5
   * and pass@10 are gated only when {@code bench.samples_per_task} reaches k (the estimator needs
   * n >= k samples; k is never silently lowered); absent, they default to upstream's documented
   * targets, 0.60 and 0.70.
   */
  public record Gates(
      @JsonProperty(value = "min_compile_rate", required = true) double minCompileRate,
      @JsonProperty(value = "min_pass_at_1", required = true) double minPassAt1,
      @JsonProperty(value = "min_pass_at_5") Double minPassAt5,
      @JsonProperty(value = "min_pass_at_10") Double minPassAt10,
      @JsonProperty(value = "max_ms_per_token", required = true) double maxMsPerToken,
      @JsonProperty(value = "max_memory_bytes", required = true) long maxMemoryBytes) {
    public static final double UPSTREAM_PASS_AT_5 = 0.60;
    public static final double UPSTREAM_PASS_AT_10 = 0.70;

    @JsonCreator
    public Gates {
      ConfigChecks.inRange("release.gates.min_compile_rate", minCompileRate, 0, 1);
      ConfigChecks.inRange("release.gates.min_pass_at_1", minPassAt1, 0, 1);
      minPassAt5 = minPassAt5 == null ? UPSTREAM_PASS_AT_5 : minPassAt5;
      minPassAt10 = minPassAt10 == null ? UPSTREAM_PASS_AT_10 : minPassAt10;
      ConfigChecks.inRange("release.gates.min_pass_at_5", minPassAt5, 0, 1);
      ConfigChecks.inRange("release.gates.min_pass_at_10", minPassAt10, 0, 1);
      if (!(maxMsPerToken > 0) || maxMemoryBytes <= 0) {
        throw new BadInputException("config release.gates: max_ms_per_token and max_memory_bytes must be positive");
      }
    }
  }

  /**
   * How the benchmark generates: greedy by default, so the quality metrics repeat exactly.
   *
   * @param device {@code cpu} (default when absent) or {@code gpu}: generation tasks, and only
   *     they, ask Spark for one GPU each
   */
  public record Bench(
      @JsonProperty(value = "samples_per_task", required = true) int samplesPerTask,
      @JsonProperty(value = "max_new_tokens", required = true) int maxNewTokens,
      @JsonProperty(value = "temperature", required = true) double temperature,
      @JsonProperty(value = "seed", required = true) long seed,
      @JsonProperty(value = "device") String device) {
    public static final List<String> DEVICES = List.of("cpu", "gpu");

    @JsonCreator
    public Bench {
      device = device == null ? "cpu" : device;
      if (!DEVICES.contains(device)) {
        throw new BadInputException("config release.bench.device: must be cpu or gpu, not '" + device + "'");
      }
      ConfigChecks.inRange("release.bench.samples_per_task", samplesPerTask, 1, 1000);
      ConfigChecks.inRange("release.bench.max_new_tokens", maxNewTokens, 1, 100_000);
      ConfigChecks.inRange("release.bench.temperature", temperature, 0, 10);
    }

    public boolean gpu() {
      return device.equals("gpu");
    }
  }

  public static final int DEFAULT_TEST_TIMEOUT_SECONDS = 3600;
  public static final String DRIVER = "driver";
  public static final String EXECUTOR = "executor";

  @JsonCreator
  public ReleaseSettings {
    nonBlank("release.checkpoint", checkpoint);
    nonBlank("release.tokenizer", tokenizer);
    nonBlank("release.training_config", trainingConfig);
    nonBlank("release.dataset", dataset);
    nonBlank("release.suite", suite);
    testCommand = testCommand == null ? List.of() : List.copyOf(testCommand);
    refuseSkippedTests = refuseSkippedTests != null && refuseSkippedTests;
    testTimeoutSeconds = testTimeoutSeconds == null ? DEFAULT_TEST_TIMEOUT_SECONDS : testTimeoutSeconds;
    ConfigChecks.inRange("release.test_timeout_seconds", testTimeoutSeconds, 1, 86_400);
    if (testCommand.isEmpty()) {
      nonBlank("release.test_reports", testReports);
    } else {
      if (testReports != null) {
        throw new BadInputException(
            "config release.test_reports: not used with release.test_command (the command writes its reports into {reports}); remove one");
      }
      if (!String.join(" ", testCommand).contains("{reports}")) {
        throw new BadInputException("config release.test_command: must use {reports}, the folder it writes JUnit XML into");
      }
    }
    nonBlank("release.root", root);
    nonBlank("release.git_repository", gitRepository);
    nonBlank("release.docs_version", docsVersion);
    nonBlank("release.architecture_compatibility", architectureCompatibility);
    nonBlank("release.smoke_prompt", smokePrompt);
    rebuildCommand = List.copyOf(rebuildCommand);
    if (!rebuildCommand.isEmpty()
        && (!String.join(" ", rebuildCommand).contains("{out}") || !String.join(" ", rebuildCommand).contains("{config}"))) {
      throw new BadInputException("config release.rebuild_command: must use both {config} and {out} (or be empty)");
    }
    rebuildOn = rebuildOn == null ? DRIVER : rebuildOn;
    if (!List.of(DRIVER, EXECUTOR).contains(rebuildOn)) {
      throw new BadInputException("config release.rebuild_on: must be driver or executor, not '" + rebuildOn + "'");
    }
    if (rebuildOn.equals(EXECUTOR) && rebuildCommand.isEmpty()) {
      throw new BadInputException("config release.rebuild_on: executor needs a non-empty release.rebuild_command to run there");
    }
    if (rebuildAttestation != null) {
      localPath("release.rebuild_attestation", rebuildAttestation);
      if (!rebuildCommand.isEmpty()) {
        throw new BadInputException(
            "config release.rebuild_attestation: give it or a non-empty release.rebuild_command, not both"
                + " (an attested rebuild is not retrained here)");
      }
    }
    if (rebuildTrustedKeys != null) {
      localPath("release.rebuild_trusted_keys", rebuildTrustedKeys);
      if (rebuildAttestation == null) {
        throw new BadInputException("config release.rebuild_trusted_keys: only used with release.rebuild_attestation");
      }
    }
  }

  /** Whether the rebuild runs as a Spark task on an executor rather than as a child of the driver. */
  public boolean rebuildOnExecutor() {
    return rebuildOn.equals(EXECUTOR);
  }

  /** A local file named relative to release.yaml: records and keys are read on the driver, never fetched. */
  private static void localPath(String key, String value) {
    nonBlank(key, value);
    if (value.contains("://")) {
      throw new BadInputException("config " + key + ": must be a local path, not " + value);
    }
  }

  /** The pass@k targets this run gates: k = 1, 5, 10, each only where samples_per_task >= k. */
  public java.util.SortedMap<Integer, Double> passAtKTargets() {
    java.util.SortedMap<Integer, Double> out = new java.util.TreeMap<>();
    out.put(1, gates.minPassAt1());
    if (bench.samplesPerTask() >= 5) {
      out.put(5, gates.minPassAt5());
    }
    if (bench.samplesPerTask() >= 10) {
      out.put(10, gates.minPassAt10());
    }
    return out;
  }

  private static void nonBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new BadInputException("config " + key + ": must be a non-empty string");
    }
  }
}
