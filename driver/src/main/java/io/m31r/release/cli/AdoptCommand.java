package io.m31r.release.cli;

import io.m31r.release.failure.ExitCode;
import io.m31r.release.registry.Adoption;
import io.m31r.release.registry.PublishRecord;
import io.m31r.release.registry.ReleaseIndex;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.version.Semver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "adopt",
    mixinStandardHelpOptions = true,
    description = {
      "Makes a release published by an m31r without publish records a release again: verifies its folder",
      "(on object stores also its old .commits marker), writes .published/VERSION.json, rebuilds the index.",
      "Run it only for folders you know this tool published: adopting is vouching for the folder."
    })
final class AdoptCommand extends RegistryCommand {
  @Parameters(index = "0", paramLabel = "VERSION", description = "The version folder to adopt.")
  String version;

  @Override
  public Integer call() {
    ReleaseRoot r = releaseRoot(hadoopConf());
    PublishRecord record = new Adoption().adopt(r, Semver.parse(version));
    new ReleaseIndex().rebuild(r);
    out().println("adopted " + version + " (type " + record.type().name() + ", checksum.txt sha256 " + record.checksumSha256() + ")");
    out().flush();
    return ExitCode.OK.code();
  }
}
