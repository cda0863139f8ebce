package io.m31r.release.model.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class RotaryEmbeddingTest {
  @Test
  void rotatesInterleavedPairsByPositionTimesThetaPower() {
    try (NDManager manager = DjlSetup.pytorch().newBaseManager();
        RotaryEmbedding rope = new RotaryEmbedding(manager, 4, 8, 10000.0)) {
      // One head of size 4 at positions 0 and 3: pair 0 turns by pos rad, pair 1 by pos/100 rad
      // (10000^(-2/4) = 0.01). Position 0 must be left alone.
      NDArray x = manager.create(new float[] {1, 2, 3, 4, 1, 2, 3, 4}, new Shape(1, 2, 1, 4));
      float[] out = rope.apply(manager, x, 2).toFloatArray();
      double a2 = 2;
      double b2 = 0.02;
      double a3 = 3;
      double b3 = 0.03;
      float[] expected = {
        (float) (1 * Math.cos(a2) - 2 * Math.sin(a2)),
        (float) (1 * Math.sin(a2) + 2 * Math.cos(a2)),
        (float) (3 * Math.cos(b2) - 4 * Math.sin(b2)),
        (float) (3 * Math.sin(b2) + 4 * Math.cos(b2)),
        (float) (1 * Math.cos(a3) - 2 * Math.sin(a3)),
        (float) (1 * Math.sin(a3) + 2 * Math.cos(a3)),
        (float) (3 * Math.cos(b3) - 4 * Math.sin(b3)),
        (float) (3 * Math.sin(b3) + 4 * Math.cos(b3)),
      };
      assertArrayEquals(expected, out, 1e-6f);
      float[] atZero = rope.apply(manager, x, 0).toFloatArray();
      assertArrayEquals(new float[] {1, 2, 3, 4}, java.util.Arrays.copyOf(atZero, 4), 1e-7f);
    }
  }

  @Test
  void eachHeadIsRotatedIndependently() {
    try (NDManager manager = DjlSetup.pytorch().newBaseManager();
        RotaryEmbedding rope = new RotaryEmbedding(manager, 2, 4, 10000.0)) {
      // Two heads of size 2 at position 1: both pairs turn by exactly 1 rad.
      NDArray x = manager.create(new float[] {1, 0, 0, 1}, new Shape(1, 1, 2, 2));
      float[] out = rope.apply(manager, x, 1).toFloatArray();
      float c = (float) Math.cos(1);
      float s = (float) Math.sin(1);
      assertArrayEquals(new float[] {c, s, -s, c}, out, 1e-6f);
    }
  }
}
