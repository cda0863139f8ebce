package io.m31r.release.pipeline;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.model.bundle.FileDigests;
import io.m31r.release.model.training.TrainingRecord;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.process.ChildProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

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
    List<String> argv = expand(command, launcher, trainingConfig, out);
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
    String rebuilt = FileDigests.sha256(model);
    if (!rebuilt.equals(candidateSha256)) {
      throw new IntegrityException(
          "rebuild from scratch gave a different model: candidate model.safetensors " + candidateSha256
              + ", rebuilt " + rebuilt + "; the release is invalid (section 10); "
              + TrainingRecord.divergence(TrainingRecord.read(TrainingRecord.beside(candidateModel)), TrainingRecord.read(TrainingRecord.beside(model))));
    }
    return ReleaseMetadata.Rebuild.local(shown, rebuilt);
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

  static List<String> expand(List<String> command, List<String> launcher, Path config, Path out) {
    List<String> argv = new ArrayList<>();
    for (String part : command) {
      if (part.equals("{m31r}")) {
        argv.addAll(launcher);
      } else {
        argv.add(part.replace("{config}", config.toString()).replace("{out}", out.toString()));
      }
    }
    return argv;
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
