package io.m31r.release.cli;

import io.m31r.release.failure.ExitCode;
import io.m31r.release.registry.Rollback;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Makes an earlier type A release current again, after verifying it (exit 4 if it is corrupted).",
      "Only CURRENT and index.json change; no release is touched. A newer type A release published",
      "later becomes current as usual."
    })
final class RollbackCommand extends RegistryCommand {
  @Option(names = "--to", required = true, paramLabel = "VERSION", description = "The version to make current.")
  String version;

  @Override
  public Integer call() {
    Rollback.Result r = new Rollback().to(releaseRoot(hadoopConf()), version);
    out().println("current: " + r.previous().orElse("(none)") + " -> " + r.current());
    out().flush();
    return ExitCode.OK.code();
  }
}
