package io.m31r.release.cli;

import io.m31r.release.failure.ExitCode;
import io.m31r.release.registry.Leftovers;
import java.util.List;
import picocli.CommandLine.Command;

@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    description = {
      "Clears what abandoned exports left under --root: the staging copies, work folders (on this host) and",
      "object-store uploads without a publish record of every version whose export lease is stale (its",
      "holder on this host is dead, or it is over a day old), then the stale lease itself; and staging",
      "copies of versions no lease holds. A live run's files are never touched; no release is touched."
    })
final class GcCommand extends RegistryCommand {
  @Override
  public Integer call() {
    List<String> removed = new Leftovers(releaseRoot(hadoopConf())).collect();
    removed.forEach(p -> out().println("removed " + p));
    out().println(removed.isEmpty() ? "nothing to clear" : removed.size() + " leftover(s) cleared");
    out().flush();
    return ExitCode.OK.code();
  }
}
