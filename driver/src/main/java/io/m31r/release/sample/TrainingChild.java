package io.m31r.release.sample;

import io.m31r.release.process.SelfLauncher;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ConflictException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.model.training.ModelTrainer;
import io.m31r.release.model.training.TrainingEnvironment;
import io.m31r.release.model.training.TrainingRecord;
import io.m31r.release.model.training.TrainingResult;
import io.m31r.release.process.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one training as {@code m31r sample --rebuild-model} in a child JVM started with
 * {@link TrainingEnvironment}'s variables: libtorch reads them only when it loads, which in this
 * JVM may already have happened with the machine's own settings. The child's progress lines are
 * handed to the listener; its result is read back from the training record it writes.
 */
final class TrainingChild {
  static final long TIMEOUT_HOURS = 6;
  private static final Pattern PROGRESS = Pattern.compile("step (\\d+)/(\\d+), loss ([0-9.eE+-]+|NaN)");

  private TrainingChild() {}

  static TrainingResult run(Path config, int threads, Path outDir, ModelTrainer.StepListener listener) {
    List<String> argv = new ArrayList<>(SelfLauncher.command());
    argv.addAll(List.of("--config", config.toString(), "sample", "--rebuild-model",
        "--threads", Integer.toString(threads), "--out", outDir.toString()));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(TrainingEnvironment.forChild(pb.environment()));
    // Filled on the output thread, read here once the child ended.
    List<String> tail = java.util.Collections.synchronizedList(new ArrayList<>());
    OptionalInt ended;
    try {
      ended = ChildProcess.run(pb, Duration.ofHours(TIMEOUT_HOURS), line -> {
        Matcher m = PROGRESS.matcher(line);
        if (line.startsWith("train: ") && m.find()) {
          listener.stepDone(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Float.parseFloat(m.group(3)));
        } else if (!line.startsWith("rebuilt model: ")) {
          tail.add(line);
          if (tail.size() > 20) {
            tail.remove(0);
          }
        }
      });
    } catch (ChildProcess.NotStartedException e) {
      throw new InfrastructureException("training JVM: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("training JVM: interrupted", e);
    }
    int exit = ended.orElseThrow(() -> new InfrastructureException("training JVM: no result after " + TIMEOUT_HOURS + " h; stopped"));
    String why;
    synchronized (tail) {
      why = String.join(" | ", tail).trim();
    }
    switch (exit) {
      case 0 -> {}
      case 2 -> throw new BadInputException(why.isEmpty() ? "training refused its input (exit 2)" : why);
      case 4 -> throw new IntegrityException(why);
      case 5 -> throw new ConflictException(why);
      default -> throw new InfrastructureException("training JVM exited " + exit + (why.isEmpty() ? "" : ": " + why));
    }
    Path model = outDir.resolve(SampleModelBuilder.MODEL_FILE);
    return TrainingRecord.read(TrainingRecord.beside(model))
        .map(TrainingRecord::result)
        .orElseThrow(() -> new InfrastructureException("training JVM exited 0 but left no readable " + TrainingRecord.beside(model)));
  }
}
