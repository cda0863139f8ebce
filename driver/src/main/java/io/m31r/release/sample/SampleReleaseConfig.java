package io.m31r.release.sample;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.m31r.release.config.FreezeSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The sample workspace's {@code release.yaml}: every input {@code m31r export} needs, named
 * relative to the file, so the workspace can be moved or copied and still released. Written with
 * Jackson so that every string is quoted and escaped by a YAML emitter, never by hand.
 */
public final class SampleReleaseConfig {
  public static final String FILE = "release.yaml";
  /** Outside the workspace, so that a release written there never dirties the git work tree. */
  public static final String RELEASE_ROOT = "../release";
  public static final String TEST_REPORTS = "reports/junit";
  /** The corpus tests, run by export in a clean checkout of the released commit (the suite is tracked). */
  public static final List<String> TEST_COMMAND =
      List.of("{m31r}", "check-suite", SampleWorkspace.SUITE, "--junit", "{reports}");
  public static final List<String> REBUILD_COMMAND =
      List.of("{m31r}", "sample", "--rebuild-model", "--config", "{config}", "--out", "{out}");

  private static final String HEADER =
      """
      # Release configuration of the M31R sample workspace, read by `m31r --config release.yaml export`.
      # Every local path below is relative to the folder of this file (the workspace root), not to the
      # directory the command runs in. The release root is outside the workspace on purpose: a release
      # written into the git work tree would make it unclean, which export refuses.
      """;

  private SampleReleaseConfig() {}

  /** Writes {@code workspace/release.yaml}; {@code smokePrompt} is what the release's smoke test generates from. */
  public static Path write(Path workspace, String smokePrompt) {
    if (smokePrompt == null || smokePrompt.isBlank()) {
      throw new BadInputException("sample release.yaml: the smoke prompt is empty");
    }
    Path file = workspace.resolve(FILE);
    if (Files.exists(file)) {
      throw new BadInputException("sample release config " + file + " already exists");
    }
    byte[] yaml;
    try {
      yaml = (HEADER + mapper().writeValueAsString(tree(smokePrompt))).getBytes(StandardCharsets.UTF_8);
      Files.write(file, yaml);
    } catch (IOException e) {
      throw new InfrastructureException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  /** The environment variable the sample's release.yaml reads the signing key from. */
  public static final String SIGNING_KEY_ENV = "M31R_SIGNING_KEY";

  private static ObjectNode tree(String smokePrompt) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("config_version", 1);
    FreezeSettings d = FreezeSettings.DEFAULTS;
    root.putObject("freeze")
        .put("buffer_bytes", d.bufferBytes())
        .put("tasks_per_core", d.tasksPerCore())
        .put("progress_interval_seconds", d.progressIntervalSeconds())
        .put("min_task_bytes", d.minTaskBytes());
    root.putObject("hadoop");
    ObjectNode r = root.putObject("release");
    r.put("checkpoint", SampleWorkspace.CHECKPOINT);
    r.put("tokenizer", SampleWorkspace.TOKENIZER);
    r.put("training_config", SampleWorkspace.TRAINING_CONFIG);
    r.put("dataset", SampleWorkspace.DATASET);
    r.put("suite", SampleWorkspace.SUITE);
    TEST_COMMAND.forEach(r.putArray("test_command")::add);
    r.put("root", RELEASE_ROOT);
    r.put("git_repository", ".");
    r.put("docs_version", "m31r-release docs 1 (docs/ of the tool that made this release)");
    r.put("architecture_compatibility",
        "m31r-decoder-v1: RMSNorm, interleaved RoPE, causal MHA, SwiGLU, tied embedding; safetensors F32");
    r.put("smoke_prompt", smokePrompt);
    REBUILD_COMMAND.forEach(r.putArray("rebuild_command")::add);
    r.putObject("tagger").put("name", "M31R Sample Release").put("email", "release@m31r.invalid");
    r.putObject("gates")
        .put("min_compile_rate", 0.7)
        .put("min_pass_at_1", 0.4)
        .put("max_ms_per_token", 50.0)
        .put("max_memory_bytes", 8_000_000_000L);
    r.putObject("bench")
        .put("samples_per_task", 1)
        .put("max_new_tokens", 64)
        .put("temperature", 0.0)
        .put("seed", 42L);
    // Signed when the key is in the environment (scripts/quickstart makes one), unsigned otherwise.
    r.putObject("signing")
        .put("required", false)
        .put("private_key_env", SIGNING_KEY_ENV);
    return root;
  }

  // A writer, so not StrictMappers (which says how inputs are read): these generator settings
  // fix the sample release.yaml's bytes that the quickstart and its tests show.
  private static YAMLMapper mapper() {
    return new YAMLMapper(YAMLFactory.builder()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .disable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
        // One value per line: a folded long string is valid YAML but hard to read and to diff.
        .disable(YAMLGenerator.Feature.SPLIT_LINES)
        .build());
  }
}
