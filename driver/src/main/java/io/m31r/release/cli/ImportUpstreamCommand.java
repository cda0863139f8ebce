package io.m31r.release.cli;

import io.m31r.release.upstream.UpstreamImport;
import io.m31r.release.upstream.UpstreamRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code m31r import-upstream}: a release workspace's model inputs from an upstream M31R training run. */
@Command(
    name = "import-upstream",
    mixinStandardHelpOptions = true,
    description = {
      "Makes release inputs from one checkpoint of an upstream M31R training run",
      "(RUN_DIR = experiments/<run>, holding checkpoints/step_N/{model.pt,metadata.json}).",
      "model.pt is read with a restricted reader (the torch.load(weights_only=True) rule): any other",
      "global or opcode is refused with exit 2, naming it, and never executed. optimizer.pt and",
      "rng_state.pt are never read. Writes OUT/checkpoint (model.safetensors with both tied keys and the",
      "run's seed and step in its metadata, config.yaml, tokenizer.json, checksum.txt), OUT/config.yaml",
      "(the run's config snapshot in this project's format), OUT/tokenizer.json and",
      "OUT/upstream-import.json. OUT must not exist."
    })
final class ImportUpstreamCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run folder, experiments/<run>.")
  Path runDir;

  @Option(names = "--step", paramLabel = "N", description = "Checkpoint step (default: the highest).")
  Integer step;

  @Option(names = "--tokenizer", paramLabel = "FILE",
      description = "The run's tokenizer.json (default: train.tokenizer_directory of the run's config, from the upstream project root RUN_DIR/../..).")
  Path tokenizer;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to create.")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    UpstreamRun run = UpstreamRun.open(runDir, step == null ? OptionalInt.empty() : OptionalInt.of(step), tokenizer);
    UpstreamImport.Result r = new UpstreamImport().run(run, out);
    PrintWriter o = spec.commandLine().getOut();
    o.println("imported: " + runDir.getFileName() + " step " + r.step() + " (seed " + r.seed() + ", " + r.tensors() + " tensors)");
    o.println("model: " + r.modelSha256() + " at " + out.resolve(UpstreamImport.CHECKPOINT).toAbsolutePath());
    o.println("config: " + out.resolve(UpstreamImport.CONFIG).toAbsolutePath());
    o.println("tokenizer: " + out.resolve(UpstreamImport.TOKENIZER).toAbsolutePath());
    return 0;
  }
}
