package io.m31r.release.init;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.m31r.release.config.ConfigLoader;
import io.m31r.release.config.FreezeSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code m31r init}: a commented {@code release.yaml} for an existing git repository, from what
 * {@link WorkspaceScan} finds. Every path is written relative to the file. Refuses, naming each
 * missing piece and what it looks for, when a required input is not there; never overwrites an
 * existing file. The result is read back with the strict loader before it is written, so init never
 * leaves a file that export would refuse to parse.
 */
public final class ReleaseInit {
  public static final String FILE = "release.yaml";

  /** What was written and where each piece was found. */
  public record Result(Path file, List<String> found) {}

  public Result run(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new BadInputException("init: " + dir + " is not a directory");
    }
    Path file = root.resolve(FILE);
    if (Files.exists(file)) {
      throw new BadInputException("init: " + file + " already exists; init never overwrites a file (move it away to start over)");
    }
    if (!Files.exists(root.resolve(".git"))) {
      throw new BadInputException("init: " + root + " is not the top of a git repository (no .git); run git init, commit, then m31r init");
    }
    WorkspaceScan scan = WorkspaceScan.of(root);
    List<String> missing = new ArrayList<>();
    need(scan.checkpoint(), "checkpoint (a folder holding model.safetensors)", missing);
    need(scan.tokenizer(), "tokenizer (a tokenizer.json outside the checkpoint)", missing);
    need(scan.trainingConfig(), "training config (a .yaml file with model: and train: sections)", missing);
    need(scan.dataset(), "dataset (a folder named dataset, datasets, data or shards holding shard files, or any folder with a manifest.json)", missing);
    need(scan.suite(), "suite (a folder of <category>/task_NNN/prompt.rs, or a MultiPL-E .jsonl)", missing);
    need(scan.testCommand(), "test command (no pom.xml, build.gradle or Cargo.toml, and no suite to self-check)", missing);
    if (!missing.isEmpty()) {
      throw new BadInputException("init: cannot write " + FILE + " in " + root + "; missing: " + String.join("; ", missing));
    }
    String yaml = render(root, scan);
    new ConfigLoader().parse(FILE, yaml.getBytes(StandardCharsets.UTF_8));
    try {
      Files.writeString(file, yaml, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      throw new BadInputException("init: " + file + " appeared while scanning; not overwritten");
    } catch (IOException e) {
      throw new InfrastructureException("cannot write " + file + ": " + e.getMessage(), e);
    }
    List<String> found = List.of(
        "checkpoint: " + rel(root, scan.checkpoint()), "tokenizer: " + rel(root, scan.tokenizer()),
        "training config: " + rel(root, scan.trainingConfig()), "dataset: " + rel(root, scan.dataset()),
        "suite: " + rel(root, scan.suite()), "test command: " + String.join(" ", scan.testCommand().get()) + " (" + scan.testCommandSource() + ")");
    return new Result(file, found);
  }

  private static void need(Optional<?> piece, String what, List<String> missing) {
    if (piece.isEmpty()) {
      missing.add(what);
    }
  }

  private static String rel(Path root, Optional<Path> p) {
    return WorkspaceScan.rel(root, p.get());
  }

  private static String q(String s) {
    try {
      return CanonicalJson.mapper().writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String list(List<String> items) {
    return items.stream().map(ReleaseInit::q).collect(Collectors.joining(", ", "[", "]"));
  }

  private static String render(Path root, WorkspaceScan s) {
    FreezeSettings f = FreezeSettings.DEFAULTS;
    String smoke = s.smokePrompt().orElse("fn main() {");
    return "# release.yaml written by `m31r init`: the inputs of `m31r --config release.yaml export`.\n"
        + "# Every local path is relative to the folder of this file. Review each value, then commit this file:\n"
        + "# export refuses a work tree with uncommitted changes. Reference: docs/configuration.md.\n"
        + "config_version: 1\n"
        + "# How the dataset freeze (one SHA-256 per shard, in parallel Spark tasks) reads the shards.\n"
        + "freeze:\n"
        + "  buffer_bytes: " + f.bufferBytes() + "   # read buffer per task (64 KiB or less hashes fastest)\n"
        + "  tasks_per_core: " + f.tasksPerCore() + "   # hash tasks per executor core\n"
        + "  progress_interval_seconds: " + f.progressIntervalSeconds() + "   # how often progress is printed\n"
        + "  min_task_bytes: " + f.minTaskBytes() + "   # small shards are packed into tasks of at least this size\n"
        + "# Extra Hadoop settings (S3A endpoint, credentials provider) for driver and executors.\n"
        + "hadoop: {}\n"
        + "release:\n"
        + "  # Folder holding the candidate model.safetensors (found: the shallowest folder with one).\n"
        + "  checkpoint: " + q(rel(root, s.checkpoint())) + "\n"
        + "  # The tokenizer.json the model was trained with; frozen by hash and shipped.\n"
        + "  tokenizer: " + q(rel(root, s.tokenizer())) + "\n"
        + "  # The training config (model: and train: sections, global.seed); shipped as config.yaml.\n"
        + "  training_config: " + q(rel(root, s.trainingConfig())) + "\n"
        + "  # The training data set: a local folder, or an hdfs:// or s3a:// URI. Frozen shard by shard.\n"
        + "  dataset: " + q(rel(root, s.dataset())) + "\n"
        + "  # The benchmark suite (M31R task folders or MultiPL-E JSONL), run in full on the executors.\n"
        + "  suite: " + q(rel(root, s.suite())) + "\n"
        + "  # The project's tests, run in a clean checkout of the released commit. {reports} is an empty folder\n"
        + "  # the command must write JUnit XML into; {m31r} is this tool. Found: " + s.testCommandSource() + ".\n"
        + "  test_command: " + list(s.testCommand().get()) + "\n"
        + "  # true: a skipped test blocks the release (skipped tests are always counted in metadata.json).\n"
        + "  refuse_skipped_tests: false\n"
        + "  # Seconds the test command may run before the tests gate blocks.\n"
        + "  test_timeout_seconds: 3600\n"
        + "  # The release root: releases go to <root>/<version>/. Keep it outside this work tree.\n"
        + "  root: \"../release\"\n"
        + "  # The git repository whose HEAD is released and tagged v<version>.\n"
        + "  git_repository: \".\"\n"
        + "  # Which documentation describes this release (recorded in metadata.json).\n"
        + "  docs_version: \"m31r-release docs 1\"\n"
        + "  # What a runtime must implement to load this model (recorded in metadata.json).\n"
        + "  architecture_compatibility: \"m31r-decoder-v1: RMSNorm, interleaved RoPE, causal MHA, SwiGLU, tied embedding; safetensors F32\"\n"
        + "  # Validation generates from this prompt with the packaged model; prompt + completion must compile.\n"
        + "  # Found: the first function opening in the suite's prompts. Pick one your model completes well.\n"
        + "  smoke_prompt: " + q(smoke) + "\n"
        + "  # Rebuilds the model from scratch ({config}: training config, {out}: empty folder for model.safetensors,\n"
        + "  # {m31r}: this tool). Empty: no rebuild, which only an experiment (type D) may ship.\n"
        + "  rebuild_command: []\n"
        + "  # Where that command runs: driver (a child process, default) or executor (a Spark task, with the\n"
        + "  # training config, its tokenizer.json and dataset shipped there; CPU only):\n"
        + "  # rebuild_on: \"executor\"\n"
        + "  # A model trained elsewhere reaches type A with a signed record of a rebuild done there instead\n"
        + "  # (m31r attest-rebuild; docs/rebuild.md), and the trusted keys it must be signed by:\n"
        + "  # rebuild_attestation: \"../rebuild-record.json\"\n"
        + "  # rebuild_trusted_keys: \"../trusted-rebuild-keys.yaml\"\n"
        + "  # Who the annotated release tag names (not a cryptographic signature).\n"
        + "  tagger:\n"
        + "    name: \"Release Manager\"\n"
        + "    email: \"release@example.invalid\"\n"
        + "  # Absolute targets (upstream's documented ones); a drop of more than 5% against the previous\n"
        + "  # release blocks as well. pass@5 and pass@10 are gated only when samples_per_task reaches k.\n"
        + "  gates:\n"
        + "    min_compile_rate: 0.7\n"
        + "    min_pass_at_1: 0.4\n"
        + "    min_pass_at_5: 0.6\n"
        + "    min_pass_at_10: 0.7\n"
        + "    max_ms_per_token: 50.0\n"
        + "    max_memory_bytes: 8000000000\n"
        + "  # How the benchmark generates: greedy (temperature 0) repeats exactly; seed makes sampling repeatable.\n"
        + "  bench:\n"
        + "    samples_per_task: 1\n"
        + "    max_new_tokens: 128\n"
        + "    temperature: 0.0\n"
        + "    seed: 42\n";
  }
}
