package io.m31r.release.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.config.WeightLayout;
import io.m31r.release.model.safetensors.F32SafetensorsWriter;
import io.m31r.release.model.tokenizer.BpeTrainer;
import io.m31r.release.model.tokenizer.BpeVocabulary;
import io.m31r.release.model.tokenizer.ByteLevelAlphabet;
import io.m31r.release.model.tokenizer.HfTokenizerJson;
import io.m31r.release.packaging.PackageInputs;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleasePackager;
import io.m31r.release.packaging.ReleaseReadme;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.packaging.StagedRelease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny but complete M31R model (1 layer, d=8, vocab 32), its tokenizer and config, written by
 * the tests themselves, plus metadata and staging for any version and type.
 */
public final class ReleaseFixtures {
  public static final ModelConfig CONFIG = new ModelConfig(1, 8, 1, 8, 16, 0.0, 1e-6, 10000.0, 0.02, 32, "1.0.0");

  private ReleaseFixtures() {}

  /** The three model files in {@code dir}; {@code variant} changes the weights, not the shape. */
  public static Path writeModelFiles(Path dir, int variant) throws IOException {
    Files.createDirectories(dir);
    writeSafetensors(dir.resolve("model.safetensors"), variant);
    Files.writeString(dir.resolve("config.yaml"), configYaml());
    List<String> tokens = new ArrayList<>(BpeTrainer.SPECIAL_TOKENS);
    for (int b = 0; b < 256; b++) {
      tokens.add(String.valueOf(ByteLevelAlphabet.charFor(b)));
    }
    Files.write(dir.resolve("tokenizer.json"),
        HfTokenizerJson.bytes(new BpeVocabulary(tokens, List.of()), HfTokenizerJson.Decoder.NONE));
    return dir;
  }

  private static void writeSafetensors(Path file, int variant) {
    List<F32SafetensorsWriter.Tensor> tensors = new ArrayList<>();
    int k = 0;
    for (Map.Entry<String, long[]> e : WeightLayout.required(CONFIG).entrySet()) {
      long n = 1;
      for (long d : e.getValue()) {
        n *= d;
      }
      float[] values = new float[(int) n];
      for (int i = 0; i < n; i++) {
        values[i] = (float) Math.sin(0.37 * i + k + variant);
      }
      tensors.add(new F32SafetensorsWriter.Tensor(e.getKey(), e.getValue(), values));
      k++;
    }
    F32SafetensorsWriter.write(file, Map.of("format", "pt"), tensors);
  }

  public static String configYaml() {
    ModelConfig c = CONFIG;
    return "model:\n"
        + "  config_version: \"" + c.configVersion() + "\"\n"
        + "  n_layers: " + c.nLayers() + "\n"
        + "  hidden_size: " + c.hiddenSize() + "\n"
        + "  n_heads: " + c.nHeads() + "\n"
        + "  head_dim: " + c.headDim() + "\n"
        + "  context_length: " + c.contextLength() + "\n"
        + "  dropout: 0.0\n"
        + "  norm_eps: 1.0e-6\n"
        + "  rope_theta: 10000.0\n"
        + "  init_std: 0.02\n"
        + "  vocab_size: " + c.vocabSize() + "\n"
        + "train:\n  seed: 42\n";
  }

  public static ReleaseMetadata metadata(Path modelDir, String version, ReleaseType type) throws IOException {
    String modelHash = Sha256.hex(Files.readAllBytes(modelDir.resolve("model.safetensors")));
    ObjectNode metrics = JsonNodeFactory.instance.objectNode();
    metrics.put("compile_rate", 0.75);
    metrics.putObject("pass_at_k").put("1", 0.5);
    return new ReleaseMetadata(
        "m31r-decoder-v1",
        Sha256.hex(Files.readAllBytes(modelDir.resolve("config.yaml"))),
        new ReleaseMetadata.Dataset(Sha256.hex("dataset"), 3, 12345, "hdfs://nn/data/m31r", null),
        "2026-11-20T10:00:00Z",
        "1.0.0",
        "0123456789abcdef0123456789abcdef01234567",
        "v" + version,
        metrics,
        modelHash,
        ReleaseMetadata.Rebuild.local("m31r train --config config.yaml", modelHash),
        type,
        new ReleaseMetadata.Tests(120, 0, 0, 2, 7),
        Sha256.hex(Files.readAllBytes(modelDir.resolve("tokenizer.json"))),
        new ReleaseMetadata.Tool("m31r-release", "0.1.0"),
        42L,
        type.trusted(),
        io.m31r.release.version.Semver.parse(version));
  }

  /** Model files under {@code work/model-<version>}, staged into {@code work/staged/<version>}. */
  public static StagedRelease stage(Path work, String version, ReleaseType type, int variant) throws IOException {
    Path model = writeModelFiles(work.resolve("model-" + version), variant);
    ReleaseMetadata m = metadata(model, version, type);
    PackageInputs in = new PackageInputs(
        model.resolve("model.safetensors"), model.resolve("tokenizer.json"), model.resolve("config.yaml"), m,
        ReleaseReadme.render(m, "New features: first release.\nBug fixes: none.\nMetric changes: compile rate 75%.\nBreaking changes: none."));
    return new ReleasePackager().stage(in, work.resolve("staged").resolve(version));
  }

  /** Every regular file under {@code dir} with its SHA-256, to prove that nothing changed. */
  public static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(dir)) {
      return out;
    }
    try (var s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString(), Sha256.hex(Files.readAllBytes(p)));
      }
    }
    return out;
  }

  /** Flips the low bit of the byte in the middle of a file. */
  public static void flipByte(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 1;
    Files.write(file, b);
  }

  /** The CLI in-process without a Spark session: these commands never start one. */
  public static Cli.Run cli(String... args) {
    return Cli.runWithoutSpark(args);
  }
}
