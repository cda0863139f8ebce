package io.m31r.release.cli;

import io.m31r.release.attest.RebuildAttester;
import io.m31r.release.attest.RebuildRecord;
import io.m31r.release.config.ReleaseConfig;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.signing.SigningKey;
import io.m31r.release.spark.SparkSessions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "attest-rebuild",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the record of a rebuild done on this machine (docs/rebuild.md, \"Attested rebuilds\"): the rebuilt",
      "model's SHA-256, the inputs it was trained from, frozen as export freezes them (dataset root digest,",
      "tokenizer and config SHA-256, seed), the command, host, CPU model and device. With --key it is a DSSE",
      "envelope signed with that key (m31r keygen's format); without, an unsigned record, which export",
      "accepts for type D only. OUT must not exist (exit 5)."
    })
final class AttestRebuildCommand extends SparkCommand {
  @Option(names = "--model", required = true, paramLabel = "FILE", description = "The rebuilt model.safetensors.")
  Path model;

  @Option(names = "--training-config", required = true, paramLabel = "FILE",
      description = "The training config.yaml it was trained with (the file release.training_config names).")
  Path trainingConfig;

  @Option(names = "--dataset", required = true, paramLabel = "URI", description = "The training dataset (local path, file:, hdfs:, s3a:).")
  String dataset;

  @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "The tokenizer.json it was trained with.")
  Path tokenizer;

  @Option(names = "--command", required = true, paramLabel = "TEXT", description = "The command that rebuilt the model, as run.")
  String command;

  @Option(names = "--device", defaultValue = "cpu", paramLabel = "KIND",
      description = "cpu (default) or the GPU's name, e.g. \"NVIDIA H100 80GB HBM3\": a GPU rebuild compares only with a candidate of the same kind.")
  String device;

  @Option(names = "--key", paramLabel = "KEY.pem", description = "Private key to sign with (PKCS#8 PEM, e.g. from m31r keygen).")
  Path key;

  @Option(names = "--out", required = true, paramLabel = "RECORD", description = "Where the record goes (must not exist).")
  Path out;

  @Mixin ProgressOption progress;

  @Override
  int run(SparkSessions.Handle spark, ReleaseConfig config) {
    Optional<SigningKey> signing = Optional.ofNullable(key).map(AttestRebuildCommand::readKey);
    RebuildRecord r = new RebuildAttester(spark.session(), config.freeze(), progress.target(this)).attest(
        new RebuildAttester.Request(model, trainingConfig, dataset, tokenizer, command, device, signing, out));
    PrintWriter w = out();
    w.println("record: " + out.toAbsolutePath());
    w.println("model: " + r.modelSha256());
    w.println("dataset root: " + r.inputs().datasetRootSha256());
    w.println("tokenizer: " + r.inputs().tokenizerSha256());
    w.println("training config: " + r.inputs().trainingConfigSha256());
    w.println("seed: " + r.inputs().seed());
    w.println("machine: " + r.machine().host() + ", " + r.machine().cpuModel() + ", device " + r.machine().device());
    w.println(signing.map(k -> "signed: key hint " + k.hint())
        .orElse("unsigned: an unsigned record supports a type D (experimental) release only"));
    w.flush();
    return 0;
  }

  private static SigningKey readKey(Path pem) {
    try {
      return SigningKey.fromPem(Files.readAllBytes(pem), "--key " + pem);
    } catch (NoSuchFileException e) {
      throw new BadInputException("--key: no file at " + pem);
    } catch (IOException e) {
      throw new BadInputException("--key " + pem + ": cannot be read: " + e.getClass().getSimpleName());
    }
  }
}
