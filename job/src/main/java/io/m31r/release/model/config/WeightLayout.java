package io.m31r.release.model.config;

import io.m31r.release.model.safetensors.SafetensorsFile;
import io.m31r.release.model.safetensors.TensorEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tensor names and shapes an M31R checkpoint must hold for a given config. */
public final class WeightLayout {
  public static final String EMBEDDING = "tok_embeddings.embedding.weight";
  public static final String FINAL_NORM = "norm.weight";
  /** The output head is tied to the embedding; upstream may or may not save the copy. */
  public static final String OUTPUT = "output.weight";

  private WeightLayout() {}

  public static String layer(int i, String suffix) {
    return "layers." + i + "." + suffix;
  }

  /** Every required tensor with its shape, in a stable order. */
  public static Map<String, long[]> required(ModelConfig c) {
    long d = c.hiddenSize();
    long a = c.attentionWidth();
    long f = c.ffnHiddenSize();
    Map<String, long[]> out = new LinkedHashMap<>();
    out.put(EMBEDDING, new long[] {c.vocabSize(), d});
    for (int i = 0; i < c.nLayers(); i++) {
      out.put(layer(i, "attention_norm.weight"), new long[] {d});
      out.put(layer(i, "attention.wq.weight"), new long[] {a, d});
      out.put(layer(i, "attention.wk.weight"), new long[] {a, d});
      out.put(layer(i, "attention.wv.weight"), new long[] {a, d});
      out.put(layer(i, "attention.wo.weight"), new long[] {d, a});
      out.put(layer(i, "ffn_norm.weight"), new long[] {d});
      out.put(layer(i, "feed_forward.w1.weight"), new long[] {f, d});
      out.put(layer(i, "feed_forward.w2.weight"), new long[] {d, f});
      out.put(layer(i, "feed_forward.w3.weight"), new long[] {f, d});
    }
    out.put(FINAL_NORM, new long[] {d});
    return out;
  }

  /**
   * Checks names and shapes against the config, and that a saved output head equals the embedding
   * (a different head would mean an untied model this runtime would silently run wrong).
   */
  public static void check(ModelConfig config, SafetensorsFile file) {
    Map<String, long[]> required = required(config);
    Map<String, TensorEntry> actual = file.header().tensors();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, long[]> r : required.entrySet()) {
      TensorEntry e = actual.get(r.getKey());
      if (e == null) {
        problems.add("missing tensor '" + r.getKey() + "'");
      } else if (!Arrays.equals(e.shapeArray(), r.getValue())) {
        problems.add(
            "tensor '" + r.getKey() + "' has shape " + e.shape() + ", config needs "
                + Arrays.toString(r.getValue()));
      }
    }
    for (TensorEntry e : actual.values()) {
      if (!required.containsKey(e.name()) && !e.name().equals(OUTPUT)) {
        problems.add("unexpected tensor '" + e.name() + "'");
      }
    }
    TensorEntry output = actual.get(OUTPUT);
    if (output != null && !Arrays.equals(output.shapeArray(), required.get(EMBEDDING))) {
      problems.add(
          "tensor '" + OUTPUT + "' has shape " + output.shape() + ", config needs "
              + Arrays.toString(required.get(EMBEDDING)));
    }
    if (!problems.isEmpty()) {
      throw new WeightMismatchException(
          file.path().getFileName() + " does not match config.yaml: " + String.join("; ", problems));
    }
    if (output != null && !tiedEqual(file.readFloats(OUTPUT), file.readFloats(EMBEDDING))) {
      throw new WeightMismatchException(
          file.path().getFileName() + ": tensor '" + OUTPUT + "' differs from '" + EMBEDDING
              + "'; M31R ties the output head to the embedding");
    }
  }

  private static boolean tiedEqual(float[] output, float[] embedding) {
    if (output.length != embedding.length) {
      return false;
    }
    for (int i = 0; i < output.length; i++) {
      if (Float.floatToIntBits(output[i]) != Float.floatToIntBits(embedding[i])) {
        return false;
      }
    }
    return true;
  }
}
