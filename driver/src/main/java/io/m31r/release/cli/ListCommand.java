package io.m31r.release.cli;

import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.git.GitWorkspace;
import io.m31r.release.registry.ReleaseEntry;
import io.m31r.release.registry.ReleaseIndex;
import io.m31r.release.registry.ReleaseLocation;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.registry.RootHealth;
import io.m31r.release.signing.ReleaseAuthenticity;
import io.m31r.release.signing.TrustedKeys;
import io.m31r.release.version.Semver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the releases under --root by version: type, date, which one is current, which were withdrawn.",
      "Derived from the publish records (.published/), not from index.json; a version folder without a",
      "record is listed as 'not a release'. A garbage index.json or a CURRENT naming no release: exit 4.",
      "With --repo, release tags (v<version>) that have no release are listed too. Each release is shown as",
      "unsigned, signed (not checked) or, with trusted keys, verified or refused (exit 4 if any is refused)."
    })
final class ListCommand extends RegistryCommand {
  @Option(names = "--json", description = "Print the same canonical JSON that index.json holds.")
  boolean json;

  @Mixin TrustOptions trust;

  @Option(names = "--repo", paramLabel = "DIR", description = "A git repository whose release tags are checked against the releases.")
  Path repo;

  @Override
  public Integer call() {
    ReleaseRoot r = releaseRoot(hadoopConf());
    Optional<TrustedKeys> keys = trust.keys();
    List<ReleaseEntry> entries = r.list();
    new RootHealth().check(r, entries);
    Optional<Semver> current = r.current();
    if (json) {
      ReleaseIndex index = new ReleaseIndex();
      out().print(new String(index.render(entries, current, index.readPin(r)), StandardCharsets.UTF_8));
      out().flush();
      return ExitCode.OK.code();
    }
    List<ReleaseLocation> strays = r.strays();
    List<String> orphanTags = repo == null ? List.of() : tagsWithoutRelease(entries);
    if (entries.isEmpty() && strays.isEmpty() && orphanTags.isEmpty()) {
      out().println("no releases under " + r.path());
      return ExitCode.OK.code();
    }
    int refused = 0;
    for (ReleaseEntry e : entries) {
      String signature = signature(r, e, keys);
      refused += signature.startsWith("REFUSED") ? 1 : 0;
      out().println(String.format("%-20s %s  %s  %-11s %-20s%s%s",
          e.version(), e.type(), e.date(), e.experimental() ? "experiment" : "release", signature,
          current.filter(e.version()::equals).isPresent() ? "  * current" : "",
          e.withdrawn().map(reason -> "  withdrawn: " + reason).orElse("")));
    }
    for (ReleaseLocation s : strays) {
      out().println(String.format("%-20s not a release: %s has no publish record", s.version(), s.dir()));
    }
    for (String tag : orphanTags) {
      out().println(String.format("%-20s tag without release: %s", tag.substring(1), tag));
    }
    out().flush();
    if (keys.isEmpty()) {
      err().println("m31r: " + TrustOptions.NOT_CHECKED);
    }
    if (refused > 0) {
      err().println("m31r: " + refused + (refused == 1 ? " release is" : " releases are") + " not authentic (see REFUSED above)");
      return ExitCode.INTEGRITY.code();
    }
    return ExitCode.OK.code();
  }

  private static String signature(ReleaseRoot r, ReleaseEntry e, Optional<TrustedKeys> keys) {
    org.apache.hadoop.fs.Path dir = r.releaseDir(e.version(), e.experimental());
    if (ReleaseAuthenticity.presence(dir, r.conf()) == ReleaseAuthenticity.Presence.UNSIGNED) {
      return "unsigned";
    }
    if (keys.isEmpty()) {
      return "signed (not checked)";
    }
    try {
      return "verified (key '" + new ReleaseAuthenticity().verify(dir, r.conf(), keys.get()).key().name() + "')";
    } catch (IntegrityException ex) {
      return "REFUSED: " + ex.getMessage();
    }
  }

  private List<String> tagsWithoutRelease(List<ReleaseEntry> entries) {
    Set<String> released = entries.stream().map(e -> "v" + e.version()).collect(Collectors.toSet());
    try (GitWorkspace git = GitWorkspace.open(repo)) {
      return git.releaseTags().stream().filter(t -> !released.contains(t)).toList();
    }
  }
}
