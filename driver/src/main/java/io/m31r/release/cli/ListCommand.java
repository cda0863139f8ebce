package io.m31r.release.cli;

import io.m31r.release.failure.ExitCode;
import io.m31r.release.registry.ReleaseEntry;
import io.m31r.release.registry.ReleaseIndex;
import io.m31r.release.registry.ReleaseRoot;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the committed releases under --root by version: type, date, and which one is current.",
      "Read from the release directories themselves, not from index.json."
    })
final class ListCommand extends RegistryCommand {
  @Option(names = "--json", description = "Print the same canonical JSON that index.json holds.")
  boolean json;

  @Override
  public Integer call() {
    ReleaseRoot r = releaseRoot(hadoopConf());
    List<ReleaseEntry> entries = r.list();
    Optional<String> current = r.current();
    if (json) {
      ReleaseIndex index = new ReleaseIndex();
      out().print(new String(index.render(entries, current, index.readPin(r)), StandardCharsets.UTF_8));
      out().flush();
      return ExitCode.OK.code();
    }
    if (entries.isEmpty()) {
      out().println("no releases under " + r.path());
      return ExitCode.OK.code();
    }
    for (ReleaseEntry e : entries) {
      out().println(String.format("%-20s %s  %s  %-11s%s",
          e.version(), e.type(), e.date(), e.experimental() ? "experiment" : "release",
          current.filter(e.version()::equals).isPresent() ? "  * current" : ""));
    }
    out().flush();
    return ExitCode.OK.code();
  }
}
