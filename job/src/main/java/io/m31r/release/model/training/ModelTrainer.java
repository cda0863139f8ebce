package io.m31r.release.model.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.runtime.DjlSetup;
import io.m31r.release.model.runtime.OwnedArrays;
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
 * the seed of initialisation and of the data order, the batch composition, the process
 * environment libtorch loads with ({@link TrainingEnvironment}: its baseline kernels and MKL's
 * compatible, thread-independent GEMM), full reductions summed here in a fixed order, and a
 * forward pass without scatter ops. Two runs with the same inputs therefore write byte-identical
 * checkpoints on any x86-64 CPU, at any thread count (docs/rebuild.md has the measurements).
 */
public final class ModelTrainer {
  /** What the checkpoint metadata names as its trainer, the environment included. */
  static final String TRAINER = "m31r-release ModelTrainer (DJL autograd, PyTorch CPU; " + environmentText() + ")";

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
    TrainingEnvironment.require(System.getenv());
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
      List<TrainingRecord.Checkpoint> checkpoints = new ArrayList<>();
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
            List<int[]> batch = order.next();
            NDArray picked = weights.tokenLogProbs(scratch, batch, leaves);
            int predictions = TrainableModel.predictions(batch);
            loss = (float) (-orderedSum(picked.toFloatArray()) / predictions);
            collector.backward(objective(scratch, picked, predictions));
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
          if (TrainingRecord.recorded(step + 1, train.maxSteps())) {
            checkpoints.add(checkpoint(step + 1, params));
          }
          listener.stepDone(step + 1, train.maxSteps(), loss);
        }
      }
      TrainingResult result =
          new TrainingResult(train.maxSteps(), weights.parameterCount(), corpus.tokens(), train.threads(), losses);
      write(out, weights, provenance, result);
      new TrainingRecord(result.steps(), result.parameters(), result.corpusTokens(), result.threads(), losses, checkpoints)
          .write(TrainingRecord.beside(out));
      return result;
    } finally {
      JniUtils.setNumThreads(previousThreads);
    }
  }

  /**
   * What the backward pass differentiates: the mean negative log-likelihood. The gradient of a sum
   * is all ones whatever order the forward summed in; the divisor is an owned scalar, as autograd
   * keeps it for the backward pass ({@link OwnedArrays}).
   */
  static NDArray objective(NDManager scratch, NDArray picked, int predictions) {
    return OwnedArrays.div(scratch, picked.sum().neg(), predictions);
  }

  private static String environmentText() {
    StringBuilder out = new StringBuilder();
    TrainingEnvironment.variables().forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append('=').append(v));
    return out.toString();
  }

  private static TrainingRecord.Checkpoint checkpoint(int step, List<Parameter> params) {
    List<TrainingRecord.Tensor> tensors = new ArrayList<>(params.size());
    for (Parameter p : params) {
      tensors.add(new TrainingRecord.Tensor(p.name(), TrainingRecord.digest(p.value().toFloatArray())));
    }
    return new TrainingRecord.Checkpoint(step, tensors);
  }

  /** Left to right in double: the same sum at any thread count and vector width. */
  private static double orderedSum(float[] values) {
    double sum = 0;
    for (float x : values) {
      sum += x;
    }
    return sum;
  }

  /**
   * Scales all gradients together so that their global L2 norm is at most {@code maxNorm}. The
   * squares are summed here, in order: libtorch's full reduction splits its work by thread count.
   */
  private static void clip(NDArray[] grads, double maxNorm) {
    double sumSquares = 0;
    for (NDArray g : grads) {
      for (float x : g.toFloatArray()) {
        sumSquares += (double) x * x;
      }
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
    metadata.put("trainer", TRAINER);
    metadata.put("seed", Long.toString(train.seed()));
    metadata.put("steps", Integer.toString(result.steps()));
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
