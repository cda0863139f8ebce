package io.m31r.release.cli;

import io.m31r.release.failure.ExitCode;
import io.m31r.release.registry.Yank;
import io.m31r.release.version.Semver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "yank",
    mixinStandardHelpOptions = true,
    description = {
      "Withdraws a release: records .withdrawn/VERSION.json with the reason and rebuilds the index. The",
      "release itself is never deleted or changed. If it was CURRENT, CURRENT moves to the newest type A",
      "release not withdrawn. rollback refuses it from then on; verify still verifies it."
    })
final class YankCommand extends RegistryCommand {
  @Parameters(index = "0", paramLabel = "VERSION", description = "The release to withdraw.")
  String version;

  @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, one line; shown by list and verify.")
  String reason;

  @Override
  public Integer call() {
    Yank.Result r = new Yank().withdraw(releaseRoot(hadoopConf()), Semver.parse(version), reason);
    out().println((r.alreadyWithdrawn() ? "already withdrawn: " : "withdrawn: ") + version);
    out().println("current: " + r.previousCurrent().map(Semver::toString).orElse("(none)")
        + " -> " + r.current().map(Semver::toString).orElse("(none)"));
    out().flush();
    return ExitCode.OK.code();
  }
}
