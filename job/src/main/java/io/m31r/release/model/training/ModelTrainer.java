package io.m31r.release.model.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.runtime.DjlSetup;
import io.m31r.release.model.safetensors.F32SafetensorsWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Trains an M31R model with DJL autograd on the PyTorch engine (CPU): AdamW, warm-up and cosine
 * schedule, global-norm gradient clipping. Everything that could make two runs differ is pinned:
 * the seed of initialisation and of the data order, the batch composition, libtorch's intra-op
 * thread count (set for the run and checked), and a forward pass without scatter ops. Two runs
 * with the same inputs therefore write byte-identical checkpoints on the same kind of machine.
 */
public final class ModelTrainer {
  /**
   * The MKL reproducibility mode training requires (libtorch's CPU build links Intel MKL, whose
   * kernels may otherwise vary with memory alignment). MKL reads it once, from the environment.
   */
  public static final String MKL_CBWR = "AUTO";

  /**
   * The JVM option training requires. Measured here (docs/rebuild.md): 7 of 54 runs of the same
   * training in separate default JVMs on two cores gave other weights, while 12 of 12 agreed with
   * the serial collector, and 12 of 12 when each JVM was pinned to one core. The mechanism was not
   * found; the requirement rests on that measurement, and training refuses to start without it.
   */
  public static final String SERIAL_GC = "-XX:+UseSerialGC";

  /** Notified after every step; called on the training thread. */
  public interface StepListener {
    StepListener NONE = (step, steps, loss) -> {};

    void stepDone(int step, int steps, float loss);
  }

  private final ModelConfig model;
  private final TrainingConfig train;

  public ModelTrainer(ModelConfig model, TrainingConfig train) {
    this.model = model;
    this.train = train;
  }

  /** Trains on the corpus and writes {@code out} (model.safetensors) with the given provenance. */
  public TrainingResult train(TrainingCorpus corpus, Map<String, String> provenance, Path out, StepListener listener) {
    for (int[] row : corpus.rows()) {
      for (int id : row) {
        if (id >= model.vocabSize()) {
          throw new io.m31r.release.failure.BadInputException(
              "training data holds token id " + id + " but model.vocab_size is " + model.vocabSize());
        }
      }
    }
    String cbwr = System.getenv("MKL_CBWR");
    if (!MKL_CBWR.equals(cbwr)) {
      throw new io.m31r.release.failure.BadInputException(
          "training needs MKL_CBWR=" + MKL_CBWR + " in the environment for bit-identical reruns (found "
              + (cbwr == null ? "none" : cbwr) + "); scripts/m31r sets it, see docs/rebuild.md");
    }
    boolean serial = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
        .anyMatch(gc -> gc.getName().equals("Copy") || gc.getName().equals("MarkSweepCompact"));
    if (!serial) {
      throw new io.m31r.release.failure.BadInputException(
          "training needs the JVM option " + SERIAL_GC + " for bit-identical reruns; scripts/m31r sets it, see docs/rebuild.md");
    }
    Engine engine = DjlSetup.pytorch();
    int previousThreads = JniUtils.getNumThreads();
    JniUtils.setNumThreads(train.threads());
    try (NDManager manager = engine.newBaseManager();
        TrainableModel weights = TrainableModel.initialise(manager, model, train.seed())) {
      if (JniUtils.getNumThreads() != train.threads()) {
        throw new InfrastructureException(
            "libtorch runs " + JniUtils.getNumThreads() + " threads, config asks for " + train.threads());
      }
      List<Parameter> params = weights.parameters();
      AdamW optimiser = new AdamW(manager, params, train.beta1(), train.beta2(), train.weightDecay());
      LearningRateSchedule schedule =
          new LearningRateSchedule(train.learningRate(), train.minLearningRate(), train.warmupSteps(), train.maxSteps());
      BatchOrder order = new BatchOrder(corpus.rows(), train.batchSize(), train.seed());
      List<Float> losses = new ArrayList<>(train.maxSteps());
      for (int step = 0; step < train.maxSteps(); step++) {
        try (NDManager scratch = manager.newSubManager()) {
          NDArray[] leaves = new NDArray[params.size()];
          for (int i = 0; i < leaves.length; i++) {
            leaves[i] = params.get(i).value().duplicate();
            leaves[i].attach(scratch);
            leaves[i].setRequiresGradient(true);
          }
          float loss;
          try (GradientCollector collector = engine.newGradientCollector()) {
            NDArray value = weights.loss(scratch, order.next(), leaves);
            loss = value.getFloat();
            collector.backward(value);
          }
          if (!Float.isFinite(loss)) {
            throw new InfrastructureException("training diverged: loss " + loss + " at step " + (step + 1));
          }
          NDArray[] grads = new NDArray[leaves.length];
          for (int i = 0; i < leaves.length; i++) {
            grads[i] = leaves[i].getGradient();
          }
          clip(grads, train.gradClip());
          optimiser.update(scratch, grads, schedule.at(step));
          losses.add(loss);
          listener.stepDone(step + 1, train.maxSteps(), loss);
        }
      }
      TrainingResult result =
          new TrainingResult(train.maxSteps(), weights.parameterCount(), corpus.tokens(), train.threads(), losses);
      write(out, weights, provenance, result);
      return result;
    } finally {
      JniUtils.setNumThreads(previousThreads);
    }
  }

  /** Scales all gradients together so that their global L2 norm is at most {@code maxNorm}. */
  private static void clip(NDArray[] grads, double maxNorm) {
    double sumSquares = 0;
    for (NDArray g : grads) {
      sumSquares += g.mul(g).sum().getFloat();
    }
    double norm = Math.sqrt(sumSquares);
    if (norm > maxNorm) {
      float scale = (float) (maxNorm / (norm + 1e-6));
      for (NDArray g : grads) {
        g.muli(scale);
      }
    }
  }

  private void write(Path out, TrainableModel weights, Map<String, String> provenance, TrainingResult result) {
    Map<String, String> metadata = new TreeMap<>(provenance);
    metadata.put("format", "pt");
    metadata.put("trainer", "m31r-release ModelTrainer (DJL autograd, PyTorch CPU, MKL_CBWR=" + MKL_CBWR + ")");
    metadata.put("seed", Long.toString(train.seed()));
    metadata.put("steps", Integer.toString(result.steps()));
    metadata.put("threads", Integer.toString(result.threads()));
    metadata.put("final_loss", Float.toString(result.finalLoss()));
    List<F32SafetensorsWriter.Tensor> tensors = new ArrayList<>();
    Map<String, long[]> shapes = new TreeMap<>();
    for (Parameter p : weights.parameters()) {
      shapes.put(p.name(), p.checkpointShape());
    }
    for (Map.Entry<String, float[]> e : weights.checkpointTensors().entrySet()) {
      tensors.add(new F32SafetensorsWriter.Tensor(e.getKey(), shapes.get(e.getKey()), e.getValue()));
    }
    F32SafetensorsWriter.write(out, metadata, tensors);
  }

  /** Epochs of a seeded shuffle, consumed batch by batch; the same seed gives the same batches. */
  private static final class BatchOrder {
    private final List<int[]> rows;
    private final int batchSize;
    private final long seed;
    private final List<Integer> order = new ArrayList<>();
    private int epoch;
    private int position;

    BatchOrder(List<int[]> rows, int batchSize, long seed) {
      this.rows = rows;
      this.batchSize = Math.min(batchSize, rows.size());
      this.seed = seed;
    }

    List<int[]> next() {
      List<int[]> batch = new ArrayList<>(batchSize);
      while (batch.size() < batchSize) {
        if (position == order.size()) {
          order.clear();
          for (int i = 0; i < rows.size(); i++) {
            order.add(i);
          }
          Collections.shuffle(order, new Random(seed + 7919L * epoch++));
          position = 0;
        }
        batch.add(rows.get(order.get(position++)));
      }
      return batch;
    }
  }
}
