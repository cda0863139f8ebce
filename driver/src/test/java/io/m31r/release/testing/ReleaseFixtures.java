package io.m31r.release.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.cli.M31rCli;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.config.WeightLayout;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  private static void writeSafetensors(Path file, int variant) throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("__metadata__", Map.of("format", "pt"));
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    int k = 0;
    for (Map.Entry<String, long[]> e : WeightLayout.required(CONFIG).entrySet()) {
      long n = 1;
      for (long d : e.getValue()) {
        n *= d;
      }
      ByteBuffer b = ByteBuffer.allocate((int) n * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        b.putFloat((float) Math.sin(0.37 * i + k + variant));
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", "F32");
      entry.put("shape", e.getValue());
      entry.put("data_offsets", new long[] {data.size(), data.size() + b.capacity()});
      header.put(e.getKey(), entry);
      data.write(b.array());
      k++;
    }
    byte[] json = new ObjectMapper().writeValueAsBytes(header);
    ByteBuffer out = ByteBuffer.allocate(8 + json.length + data.size()).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(json.length).put(json).put(data.toByteArray());
    Files.write(file, out.array());
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
        new ReleaseMetadata.Dataset(Sha256.hex("dataset"), 3, 12345, "hdfs://nn/data/m31r"),
        "2026-11-20T10:00:00Z",
        "1.0.0",
        "0123456789abcdef0123456789abcdef01234567",
        "v" + version,
        metrics,
        modelHash,
        new ReleaseMetadata.Rebuild(true, "m31r train --config config.yaml", modelHash),
        type,
        new ReleaseMetadata.Tests(120, 0, 0, 2, 7),
        Sha256.hex(Files.readAllBytes(modelDir.resolve("tokenizer.json"))),
        new ReleaseMetadata.Tool("m31r-release", "0.1.0"),
        42L,
        type.trusted(),
        version);
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
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = M31rCli.execute(args, o, e);
    }
    return new Cli.Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
