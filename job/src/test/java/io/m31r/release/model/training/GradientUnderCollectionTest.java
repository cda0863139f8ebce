package io.m31r.release.model.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.runtime.DjlSetup;
import io.m31r.release.model.runtime.FreedDirectMemory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A training step's gradients do not depend on whether the garbage collector ran between the
 * forward and the backward pass: nothing autograd keeps may live in memory the JVM can free. This
 * once made one sample training in about ten under load give other weights (docs/rebuild.md).
 */
class GradientUnderCollectionTest {
  private static final ModelConfig MODEL = new ModelConfig(2, 32, 2, 16, 64, 0.0, 1e-6, 10000.0, 0.02, 40, "1.0.0");
  private static final List<int[]> BATCH = List.of(new int[] {1, 5, 9, 12, 3, 7}, new int[] {2, 8, 30, 4});

  @Test
  void aCollectionBetweenForwardAndBackwardChangesNoGradient() throws Exception {
    List<float[]> quiet = gradients(false);
    List<float[]> collected = gradients(true);
    for (int i = 0; i < quiet.size(); i++) {
      assertArrayEquals(quiet.get(i), collected.get(i), "gradient of parameter " + i);
    }
  }

  private static List<float[]> gradients(boolean collectInBetween) throws Exception {
    Engine engine = DjlSetup.pytorch();
    try (NDManager manager = engine.newBaseManager();
        TrainableModel model = TrainableModel.initialise(manager, MODEL, 7);
        NDManager scratch = manager.newSubManager()) {
      List<Parameter> params = model.parameters();
      NDArray[] leaves = new NDArray[params.size()];
      for (int i = 0; i < leaves.length; i++) {
        leaves[i] = params.get(i).value().duplicate();
        leaves[i].attach(scratch);
        leaves[i].setRequiresGradient(true);
      }
      try (GradientCollector collector = engine.newGradientCollector()) {
        NDArray objective = ModelTrainer.objective(scratch, model.tokenLogProbs(scratch, BATCH, leaves), TrainableModel.predictions(BATCH));
        List<ByteBuffer> junk = collectInBetween ? FreedDirectMemory.collectAndOverwrite(12345f) : List.of();
        collector.backward(objective);
        java.lang.ref.Reference.reachabilityFence(junk);
      }
      List<float[]> out = new ArrayList<>();
      for (NDArray leaf : leaves) {
        out.add(leaf.getGradient().toFloatArray());
      }
      return out;
    }
  }
}
