package io.m31r.release.cli;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.logging.WriterOutputStream;
import io.m31r.release.model.training.ModelTrainer;
import io.m31r.release.model.training.TrainingResult;
import io.m31r.release.sample.SampleModelBuilder;
import io.m31r.release.sample.SampleTestReport;
import io.m31r.release.sample.SampleWorkspace;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    description = {
      "Generates, deterministically from a seed, a sample workspace for trying the release job without",
      "real data: a synthetic Rust corpus as a sharded dataset (OUT/dataset), a byte-level BPE tokenizer",
      "trained on it (OUT/tokenizer.json), a benchmark suite derived from it (OUT/benchmarks), the",
      "training config (OUT/config.yaml) and a model of the M31R architecture trained on the corpus with",
      "DJL autograd (OUT/checkpoint: model.safetensors with its config, tokenizer and checksum.txt).",
      "Then runs every task's reference solution with its tests in the sandbox (needs rustc) into a JUnit",
      "report (OUT/reports/junit), writes OUT/release.yaml for m31r export (releases go to OUT/../release),",
      "OUT/README.md and OUT/.gitignore, and makes OUT a git repository with a short history of",
      "conventional commits (dataset and checkpoint ignored, frozen by hash), clean as export requires.",
      "Commit times start at $SOURCE_DATE_EPOCH (default 2026-01-01T00:00:00Z).",
      "",
      "With --rebuild-model, retrains only the model from the recorded inputs: --config names the",
      "training config.yaml (not release.yaml); its dataset and tokenizer directories are relative to",
      "it. Writes OUT/model.safetensors, byte-identical to the original for the same inputs."
    })
final class SampleCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Workspace directory (must be absent or empty).")
  Path out;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the corpus and of training (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--shards", defaultValue = "8", description = "Number of text shards (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--rebuild-model", description = "Only retrain the model from --config into OUT/model.safetensors.")
  boolean rebuildModel;

  @Option(names = "--threads", paramLabel = "N", description = "With --rebuild-model: libtorch threads instead of the config's train.threads (the model does not depend on it).")
  Integer threads;

  @Option(names = "--quiet", description = "No progress lines.")
  boolean quiet;

  @CommandLine.ParentCommand M31rCli parent;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintStream progress = quiet ? null : new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true);
    ModelTrainer.StepListener listener = progress == null ? ModelTrainer.StepListener.NONE : new TrainingProgress(progress);
    if (rebuildModel) {
      if (parent.config == null) {
        throw new BadInputException("--rebuild-model needs --config CONFIG, the training config.yaml to rebuild from");
      }
      TrainingResult r = new SampleModelBuilder(parent.config, threads).build(out, listener);
      stdout.println("rebuilt model: " + out.resolve(SampleModelBuilder.MODEL_FILE).toAbsolutePath() + " (" + summary(r) + ")");
      return 0;
    }
    SampleWorkspace.Result ws = new SampleWorkspace(seed, shards).create(out, listener);
    stdout.println("sample tokenizer: " + ws.tokenizer().toAbsolutePath());
    stdout.println("sample dataset: " + ws.dataset().toAbsolutePath() + " (" + ws.datasetFiles() + " files, seed " + seed + ")");
    stdout.println("sample suite: " + ws.suite().toAbsolutePath() + " (" + ws.tasks() + " tasks)");
    stdout.println("sample config: " + ws.config().toAbsolutePath());
    stdout.println("sample model: " + ws.checkpoint().toAbsolutePath() + " (" + summary(ws.training()) + ")");
    SampleTestReport.Summary t = ws.tests();
    stdout.println("sample tests: " + t.file().toAbsolutePath() + " (" + t.passed() + " passed"
        + (t.failures() > 0 ? ", " + t.failures() + " failed" : "")
        + (t.errors() > 0 ? ", " + t.errors() + " errors" : "") + ")");
    stdout.println("sample release config: " + ws.releaseConfig().toAbsolutePath());
    stdout.println("sample git: HEAD " + ws.gitHead());
    return 0;
  }

  private static String summary(TrainingResult r) {
    return String.format(
        Locale.ROOT, "%d parameters, %d steps, final loss %.4f, %d corpus tokens, %d threads",
        r.parameters(), r.steps(), r.finalLoss(), r.corpusTokens(), r.threads());
  }
}
