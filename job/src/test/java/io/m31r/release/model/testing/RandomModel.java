package io.m31r.release.model.testing;

import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.config.WeightLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** A random-weight M31R checkpoint and bundle, generated and written by the tests themselves. */
public final class RandomModel {
  private final ModelConfig config;
  private final Map<String, float[]> weights = new LinkedHashMap<>();

  public RandomModel(ModelConfig config, long seed) {
    this.config = config;
    Random random = new Random(seed);
    for (Map.Entry<String, long[]> e : WeightLayout.required(config).entrySet()) {
      long n = 1;
      for (long dim : e.getValue()) {
        n *= dim;
      }
      float[] w = new float[(int) n];
      boolean norm = e.getValue().length == 1;
      for (int i = 0; i < w.length; i++) {
        // Norm weights near 1 and a wider init than upstream's 0.02, so that logits are far from
        // uniform and a wrong RoPE or mask changes them measurably.
        w[i] = norm ? (float) (1 + 0.1 * random.nextGaussian()) : (float) (0.25 * random.nextGaussian());
      }
      weights.put(e.getKey(), w);
    }
  }

  /** 2 layers, d=32, 2 heads x 16, small context and vocab: fast enough for every test run. */
  public static ModelConfig tinyConfig(int vocab) {
    return new ModelConfig(2, 32, 2, 16, 24, 0.0, 1e-6, 10000.0, 0.02, vocab, "1.0.0");
  }

  public ModelConfig config() {
    return config;
  }

  public Map<String, float[]> weights() {
    return weights;
  }

  public float[] weight(String name) {
    return weights.get(name);
  }

  public void writeSafetensors(Path file, String dtype, boolean withOutput) throws IOException {
    SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
    Map<String, long[]> shapes = WeightLayout.required(config);
    for (Map.Entry<String, float[]> e : weights.entrySet()) {
      w.add(e.getKey(), dtype, shapes.get(e.getKey()), e.getValue());
    }
    if (withOutput) {
      w.add(WeightLayout.OUTPUT, dtype, shapes.get(WeightLayout.EMBEDDING), weights.get(WeightLayout.EMBEDDING));
    }
    w.write(file);
  }

  public static String configYaml(ModelConfig c) {
    return "global:\n  seed: 42\nmodel:\n"
        + "  config_version: \"" + c.configVersion() + "\"\n"
        + "  n_layers: " + c.nLayers() + "\n"
        + "  hidden_size: " + c.hiddenSize() + "\n"
        + "  n_heads: " + c.nHeads() + "\n"
        + "  head_dim: " + c.headDim() + "\n"
        + "  context_length: " + c.contextLength() + "\n"
        + "  dropout: " + c.dropout() + "\n"
        + "  norm_eps: " + c.normEps() + "\n"
        + "  rope_theta: " + c.ropeTheta() + "\n"
        + "  init_std: " + c.initStd() + "\n"
        + "  vocab_size: " + c.vocabSize() + "\n"
        + "train:\n  batch_size: 4\n";
  }

  /** Writes a full bundle (weights, tokenizer, config, and checksum.txt when asked) into dir. */
  public Path writeBundle(Path dir, boolean withChecksums) throws IOException {
    Files.createDirectories(dir);
    writeSafetensors(dir.resolve("model.safetensors"), "F32", false);
    TestTokenizer.write(dir.resolve("tokenizer.json"));
    Files.writeString(dir.resolve("config.yaml"), configYaml(config));
    if (withChecksums) {
      writeChecksums(dir);
    }
    return dir;
  }

  public static void writeChecksums(Path dir) throws IOException {
    TreeMap<String, String> digests = Sha256sumListing.newSortedMap();
    for (String name : new String[] {"config.yaml", "model.safetensors", "tokenizer.json"}) {
      digests.put(name, Sha256.hex(Files.readAllBytes(dir.resolve(name))));
    }
    Files.writeString(dir.resolve("checksum.txt"), Sha256sumListing.render(digests));
  }
}
