package io.m31r.release.model.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** A scalar autograd keeps for the backward pass must outlive a garbage collection in between. */
class OwnedArraysTest {
  @Test
  void theGradientOfAProductIsItsScalarWhateverTheCollectorFreedMeanwhile() throws Exception {
    assertArrayEquals(new float[] {3f, 3f, 3f, 3f}, gradientAfterCollection((m, x) -> OwnedArrays.mul(m, x, 3f)));
  }

  @Test
  void theGradientOfAQuotientIsOneOverItsScalarWhateverTheCollectorFreedMeanwhile() throws Exception {
    assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, gradientAfterCollection((m, x) -> OwnedArrays.div(m, x, 4f)));
  }

  @Test
  void anUntrackedArrayGetsThePlainProduct() {
    try (NDManager m = DjlSetup.pytorch().newBaseManager()) {
      NDArray x = m.create(new float[] {1f, 2f});
      assertArrayEquals(new float[] {3f, 6f}, OwnedArrays.mul(m, x, 3f).toFloatArray());
      assertArrayEquals(new float[] {0.5f, 1f}, OwnedArrays.div(m, x, 2f).toFloatArray());
    }
  }

  private static float[] gradientAfterCollection(BiFunction<NDManager, NDArray, NDArray> op) throws Exception {
    Engine engine = DjlSetup.pytorch();
    try (NDManager m = engine.newBaseManager()) {
      NDArray x = OwnedArrays.copyOf(m.create(new float[] {1f, 2f, 3f, 4f}));
      x.setRequiresGradient(true);
      try (GradientCollector collector = engine.newGradientCollector()) {
        NDArray y = op.apply(m, x).sum();
        List<ByteBuffer> junk = FreedDirectMemory.collectAndOverwrite(12345f);
        collector.backward(y);
        java.lang.ref.Reference.reachabilityFence(junk);
      }
      return x.getGradient().toFloatArray();
    }
  }
}
