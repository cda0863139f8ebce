package io.m31r.release.model.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.model.safetensors.SafetensorsFile;
import io.m31r.release.model.testing.RandomModel;
import io.m31r.release.model.testing.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightLayoutTest {
  @TempDir Path dir;
  private final RandomModel model = new RandomModel(RandomModel.tinyConfig(20), 3);

  private String problem(SafetensorsWriter w) throws IOException {
    Path file = dir.resolve("model.safetensors");
    w.write(file);
    SafetensorsFile st = SafetensorsFile.open(file);
    return assertThrows(WeightMismatchException.class, () -> WeightLayout.check(model.config(), st)).getMessage();
  }

  private SafetensorsWriter all(String skip) {
    SafetensorsWriter w = new SafetensorsWriter();
    Map<String, long[]> shapes = WeightLayout.required(model.config());
    for (Map.Entry<String, float[]> e : model.weights().entrySet()) {
      if (!e.getKey().equals(skip)) {
        w.add(e.getKey(), shapes.get(e.getKey()), e.getValue());
      }
    }
    return w;
  }

  @Test
  void tiedOutputMayBeAbsentOrIdentical() throws IOException {
    Path absent = dir.resolve("a.safetensors");
    model.writeSafetensors(absent, "F32", false);
    assertDoesNotThrow(() -> WeightLayout.check(model.config(), SafetensorsFile.open(absent)));
    Path present = dir.resolve("b.safetensors");
    model.writeSafetensors(present, "F32", true);
    assertDoesNotThrow(() -> WeightLayout.check(model.config(), SafetensorsFile.open(present)));
  }

  @Test
  void namesMissingUnexpectedAndMisshapedTensors() throws IOException {
    assertTrue(problem(all("layers.1.ffn_norm.weight")).contains("missing tensor 'layers.1.ffn_norm.weight'"));
    assertTrue(problem(all("").add("layers.2.ffn_norm.weight", new long[] {32}, new float[32]))
        .contains("unexpected tensor 'layers.2.ffn_norm.weight'"));
    SafetensorsWriter wrongShape = all("layers.0.attention.wq.weight")
        .add("layers.0.attention.wq.weight", new long[] {16, 32}, new float[16 * 32]);
    assertTrue(problem(wrongShape).contains("tensor 'layers.0.attention.wq.weight' has shape [16, 32], config needs [32, 32]"));
  }

  @Test
  void untiedOutputIsRejected() throws IOException {
    float[] different = model.weight(WeightLayout.EMBEDDING).clone();
    different[5] += 1;
    String m = problem(all("").add(WeightLayout.OUTPUT, new long[] {20, 32}, different));
    assertTrue(m.contains("'output.weight' differs from 'tok_embeddings.embedding.weight'"), m);
  }
}
