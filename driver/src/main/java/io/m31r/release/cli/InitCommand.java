package io.m31r.release.cli;

import io.m31r.release.init.ReleaseInit;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code m31r init}: a commented release.yaml for an existing git repository. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Writes DIR/release.yaml (default DIR: the current directory, the top of a git repository) from",
      "what it finds there: checkpoint, tokenizer, training config, dataset, benchmark suite, test command.",
      "Every key is explained in a comment; paths are relative to the file. Exit 2, listing exactly what",
      "is missing, when a piece cannot be found; never overwrites an existing release.yaml."
    })
final class InitCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = ".", description = "Repository root.")
  Path dir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ReleaseInit.Result r = new ReleaseInit().run(dir);
    PrintWriter o = spec.commandLine().getOut();
    r.found().forEach(line -> o.println("found " + line));
    o.println("wrote " + r.file() + " (review it, commit it, then: m31r --config " + ReleaseInit.FILE + " export --version 0.1.0 --type D)");
    return 0;
  }
}
