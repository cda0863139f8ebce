package io.m31r.release.pipeline;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.model.bundle.FileDigests;
import io.m31r.release.model.training.TrainingRecord;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.process.ChildProcess;
import io.m31r.release.ship.FileShipment;
import io.m31r.release.spark.SparkJobs;
import io.m31r.release.tasks.rebuild.ExecutorRebuildTask;
import io.m31r.release.tasks.rebuild.RebuildCommand;
import io.m31r.release.tasks.rebuild.RebuildInputs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Section 10: rebuilds the model from scratch with the configured command into an empty folder and
 * compares the rebuilt {@code model.safetensors} with the candidate byte for byte (by SHA-256). A
 * difference makes the release invalid; the message then names where the two trainings parted,
 * from the training records beside both models when they exist (diagnostics, not evidence). Only an experiment (type D) may skip it, and the metadata
 * then says so. With {@code release.rebuild_attestation} it does not retrain: it checks the record
 * of a rebuild done elsewhere ({@link AttestedRebuild}) and writes nothing.
 */
final class RebuildStage {
  static final long TIMEOUT_HOURS = 6;
  /** The device kind of a rebuild on an executor: the sample trainer, and every command run there, is given no GPU. */
  static final String EXECUTOR_DEVICE = "cpu";
  static final String NOT_CHECKED = "none: release.rebuild_command is empty (experiment, rebuild from scratch not checked)";

  private final PrintStream progress;

  RebuildStage(PrintStream progress) {
    this.progress = progress;
  }

  ReleaseMetadata.Rebuild run(
      List<String> command, List<String> launcher, Path trainingConfig, Path candidateModel, String candidateSha256,
      ReleaseType type, Path workDir) {
    if (command.isEmpty() && type != ReleaseType.D) {
      throw new BadInputException(
          "config release.rebuild_command is empty: only an experiment (type D) may skip the rebuild-from-scratch check");
    }
    if (command.isEmpty()) {
      // metadata.json requires a command text; it says why there is none instead.
      return ReleaseMetadata.Rebuild.notChecked(NOT_CHECKED);
    }
    Path out = workDir.resolve("rebuild");
    List<String> argv = RebuildCommand.expand(command, launcher, trainingConfig, out);
    String shown = String.join(" ", command);
    Path log = workDir.resolve("rebuild.log");
    int exit = execute(argv, log);
    if (exit != 0) {
      throw new InfrastructureException(
          "rebuild: '" + shown + "' exited " + exit + "; its output is in " + log + " (kept only until the export ends; last lines above)");
    }
    Path model = out.resolve("model.safetensors");
    if (!Files.isRegularFile(model)) {
      throw new InfrastructureException("rebuild: '" + shown + "' exited 0 but wrote no model.safetensors in {out}");
    }
    requireSame(candidateModel, candidateSha256, FileDigests.sha256(model), model);
    return ReleaseMetadata.Rebuild.local(shown, candidateSha256);
  }

  /**
   * The same check with the command run as a Spark task on one executor ({@code release.rebuild_on:
   * executor}): the training config, its tokenizer and dataset are checked against the frozen
   * digests here, shipped or staged like the candidate, checked again there, and only the rebuilt
   * model's digest and training record come back. The executor trains on its CPU, so a candidate
   * that records a GPU device kind is refused before anything is shipped.
   */
  ReleaseMetadata.Rebuild onExecutor(
      SparkContext sc, List<String> command, Path trainingConfig, Path candidateModel, String candidateSha256,
      FrozenArtifacts frozen, org.apache.hadoop.fs.Path stagingArea, Path workDir) {
    String shown = String.join(" ", command);
    String device = frozen.checkpointMetadata().get(AttestedRebuild.DEVICE);
    if (device != null && !device.equals(EXECUTOR_DEVICE)) {
      throw new IntegrityException("rebuild on an executor runs on '" + EXECUTOR_DEVICE + "', the candidate records device '" + device
          + "' (GPU kernels give no identity across device kinds): rebuild it there and hand in a signed record (release.rebuild_attestation)");
    }
    RebuildInputs inputs = RebuildInputs.of(trainingConfig);
    RebuildInputs.Expected expected =
        new RebuildInputs.Expected(frozen.configSha256(), frozen.tokenizerSha256(), frozen.dataset().rootSha256());
    inputs.differenceFrom(expected).ifPresent(d -> {
      throw new BadInputException("release.rebuild_on executor: " + d + "; a rebuild must train from the frozen inputs");
    });
    ExecutorRebuildTask.Result r;
    try (FileShipment shipment = FileShipment.ship(sc, inputs.base(), inputs.files(), "rebuild inputs", stagingArea, "rebuild-",
        java.util.Map.entry(inputs.config(), frozen.configSha256()))) {
      if (progress != null) {
        progress.println("rebuild: on an executor (" + inputs.files().size() + " input files, " + shipment.files().route() + "): " + shown);
      }
      ExecutorRebuildTask task = new ExecutorRebuildTask(shipment.files(), inputs, expected, command, TIMEOUT_HOURS);
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
      jsc.setJobDescription("m31r rebuild: " + shown);
      try {
        r = SparkJobs.run("rebuild", () -> jsc.parallelize(List.of(0), 1).map(task).collect().get(0));
      } finally {
        jsc.setJobDescription(null);
      }
    }
    String where = "rebuild on executor " + r.host() + ": '" + shown + "'";
    String tail = r.tail().isEmpty() ? "" : "; last lines: " + String.join(" | ", r.tail());
    if (r.exit() != 0) {
      throw new InfrastructureException(where + (r.exit() < 0 ? " gave no result after " + TIMEOUT_HOURS + " h; stopped" : " exited " + r.exit()) + tail);
    }
    if (r.modelSha256() == null) {
      throw new InfrastructureException(where + " exited 0 but wrote no model.safetensors in {out}" + tail);
    }
    requireSame(candidateModel, candidateSha256, r.modelSha256(), writeRecord(workDir, r.trainingRecord()));
    return ReleaseMetadata.Rebuild.onExecutor(shown, candidateSha256, EXECUTOR_DEVICE);
  }

  /**
   * Keeps the executor's training record where a local rebuild's would be, for the divergence
   * message; returns the path its model would have (the model itself stays on the executor).
   */
  private static Path writeRecord(Path workDir, String trainingRecord) {
    Path model = workDir.resolve("rebuild").resolve(ReleaseFiles.MODEL);
    if (trainingRecord == null) {
      return model;
    }
    try {
      Files.createDirectories(model.getParent());
      Files.writeString(TrainingRecord.beside(model), trainingRecord, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InfrastructureException("cannot keep the executor's training record in " + model.getParent() + ": " + e.getMessage(), e);
    }
    return model;
  }

  private static void requireSame(Path candidateModel, String candidateSha256, String rebuilt, Path rebuiltModel) {
    if (!rebuilt.equals(candidateSha256)) {
      throw new IntegrityException(
          "rebuild from scratch gave a different model: candidate model.safetensors " + candidateSha256
              + ", rebuilt " + rebuilt + "; the release is invalid (section 10); "
              + TrainingRecord.divergence(TrainingRecord.read(TrainingRecord.beside(candidateModel)), TrainingRecord.read(TrainingRecord.beside(rebuiltModel))));
    }
  }

  /** The attested form of the stage: the record checked against the frozen inputs and the candidate; nothing retrained, nothing written. */
  ReleaseMetadata.Rebuild attested(
      RebuildAttestationSource src, FrozenArtifacts frozen, ReleaseType type, java.time.Instant releaseDate) {
    ReleaseMetadata.Rebuild r = AttestedRebuild.check(
        src, new FrozenInputs(frozen.dataset().rootSha256(), frozen.tokenizerSha256(), frozen.configSha256(), frozen.trainingSeed()),
        frozen.modelSha256(), frozen.checkpointMetadata(), type, releaseDate);
    if (progress != null) {
      progress.println("rebuild: attested by " + src.record().getFileName() + " ("
          + (r.keyHint() == null ? "not verified by a trusted key: experiment only" : "signed by trusted key " + r.keyHint().substring(0, 16) + "...")
          + ", device " + r.device() + "): model digest and frozen inputs agree");
    }
    return r;
  }

  /** Preflight calls this too, so that a release that may not skip the rebuild is refused before the benchmark. */
  static void requireAllowed(io.m31r.release.config.ReleaseSettings s, ReleaseType type) {
    if (type == ReleaseType.D) {
      return;
    }
    if (s.rebuildCommand().isEmpty() && s.rebuildAttestation() == null) {
      throw new BadInputException(
          "config release.rebuild_command is empty: only an experiment (type D) may skip the rebuild-from-scratch check"
              + " (or name a signed record of a rebuild done elsewhere in release.rebuild_attestation)");
    }
    if (s.rebuildAttestation() != null && s.rebuildTrustedKeys() == null) {
      throw new BadInputException(
          "config release.rebuild_attestation: a type " + type.name() + " release needs release.rebuild_trusted_keys"
              + " (an unsigned or unchecked rebuild record can support type D only)");
    }
  }

  private int execute(List<String> argv, Path log) {
    try {
      OptionalInt exit = ChildProcess.runLogged(new ProcessBuilder(argv), Duration.ofHours(TIMEOUT_HOURS), log, progress, "rebuild | ");
      return exit.orElseThrow(() -> new InfrastructureException("rebuild: no result after " + TIMEOUT_HOURS + " h; stopped"));
    } catch (ChildProcess.NotStartedException e) {
      throw new BadInputException("rebuild: " + e.getMessage());
    } catch (IOException e) {
      throw new InfrastructureException("rebuild: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("rebuild: interrupted", e);
    }
  }
}
