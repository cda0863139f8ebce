package io.m31r.release.tasks.rebuild;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.fs.FileTrees;
import io.m31r.release.model.bundle.FileDigests;
import io.m31r.release.model.training.TrainingRecord;
import io.m31r.release.process.ChildProcess;
import io.m31r.release.process.LocalHost;
import io.m31r.release.process.SelfLauncher;
import io.m31r.release.tasks.ship.ShippedFiles;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

/**
 * On one executor: copies the shipped rebuild inputs into a fresh folder, checks them against the
 * frozen digests (a staged copy may have been replaced), runs the rebuild command there as a child
 * process, and reports the rebuilt model's digest. The folder is removed before the task ends; the
 * model stays on the executor, only its digest and training record travel.
 */
public final class ExecutorRebuildTask implements Function<Integer, ExecutorRebuildTask.Result> {
  private static final long serialVersionUID = 1L;
  static final int TAIL_LINES = 20;

  /**
   * @param exit the command's exit status; -1 when it was stopped at the time limit
   * @param modelSha256 the rebuilt model's SHA-256, or null when it wrote none
   * @param trainingRecord the training record beside the model (JSON), or null when there is none
   */
  public record Result(String host, int exit, String modelSha256, String trainingRecord, List<String> tail) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final ShippedFiles shipped;
  private final RebuildInputs.Expected expected;
  private final String config;
  private final String tokenizer;
  private final String dataset;
  private final List<String> command;
  private final long timeoutHours;

  public ExecutorRebuildTask(ShippedFiles shipped, RebuildInputs inputs, RebuildInputs.Expected expected, List<String> command, long timeoutHours) {
    this.shipped = shipped;
    this.expected = expected;
    this.config = inputs.config();
    this.tokenizer = inputs.tokenizer();
    this.dataset = inputs.dataset();
    this.command = List.copyOf(command);
    this.timeoutHours = timeoutHours;
  }

  @Override
  public Result call(Integer ignored) throws Exception {
    Path base = TaskContext.get() != null ? Path.of(SparkFiles.getRootDirectory()) : Path.of(System.getProperty("java.io.tmpdir"));
    Path dir = Files.createTempDirectory(base, "m31r-rebuild-");
    try {
      Path inputs = dir.resolve("inputs");
      shipped.copyTo(inputs);
      // The same check as on the driver, now of the bytes this executor will train from.
      new RebuildInputs(inputs, config, tokenizer, dataset, shipped.names()).differenceFrom(expected).ifPresent(d -> {
        throw new IntegrityException("rebuild on executor " + LocalHost.name() + ": the shipped copy of " + d + "; it was changed on its way");
      });
      Path out = dir.resolve("out");
      List<String> argv = RebuildCommand.expand(command, SelfLauncher.command(), inputs.resolve(config), out);
      List<String> tail = new ArrayList<>();
      OptionalInt exit;
      try {
        exit = ChildProcess.run(new ProcessBuilder(argv), Duration.ofHours(timeoutHours), line -> {
          System.err.println("rebuild | " + line);
          synchronized (tail) {
            tail.add(line);
            if (tail.size() > TAIL_LINES) {
              tail.remove(0);
            }
          }
        });
      } catch (ChildProcess.NotStartedException e) {
        return new Result(LocalHost.name(), 127, null, null, List.of(e.getMessage()));
      }
      Path model = out.resolve(ReleaseFiles.MODEL);
      Path record = TrainingRecord.beside(model);
      synchronized (tail) {
        return new Result(LocalHost.name(), exit.orElse(-1), Files.isRegularFile(model) ? FileDigests.sha256(model) : null,
            Files.isRegularFile(record) ? Files.readString(record, StandardCharsets.UTF_8) : null, List.copyOf(tail));
      }
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      throw new InfrastructureException("executor cannot remove its rebuild folder " + dir + ": " + e.getMessage(), e);
    }
  }
}
