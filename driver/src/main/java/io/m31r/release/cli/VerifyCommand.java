package io.m31r.release.cli;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.packaging.ReleaseVerifier;
import io.m31r.release.packaging.VerifyReport;
import io.m31r.release.registry.ReleaseLocation;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.storage.StorageUris;
import io.m31r.release.version.Semver;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Checks a release directory: exactly the six files, checksum.txt, metadata.json against the files,",
      "the version against the directory name, the safetensors header and config.yaml.",
      "A version (1.2.0) is looked up under --root; anything else is a directory location.",
      "Exit 0 printing 'OK <dir>', 4 naming every problem."
    })
final class VerifyCommand extends RegistryCommand {
  @Parameters(index = "0", paramLabel = "DIR|VERSION", description = "Release directory, or a version under --root.")
  String release;

  @Override
  public Integer call() {
    Configuration conf = hadoopConf();
    Path dir = locate(conf);
    VerifyReport report = new ReleaseVerifier().verify(dir, conf);
    if (report.ok()) {
      out().println("OK " + dir);
      return ExitCode.OK.code();
    }
    report.problems().forEach(p -> out().println("problem: " + p));
    out().flush();
    err().println("m31r: release " + dir + " failed verification: " + report.problems().size()
        + (report.problems().size() == 1 ? " problem" : " problems"));
    return ExitCode.INTEGRITY.code();
  }

  private Path locate(Configuration conf) {
    if (isVersion(release)) {
      ReleaseRoot r = releaseRoot(conf);
      return r.find(release).map(ReleaseLocation::dir)
          .orElseThrow(() -> new BadInputException("no committed release " + release + " under " + r.path()));
    }
    return StorageUris.resolve("release directory", release, conf);
  }

  private static boolean isVersion(String text) {
    try {
      Semver.parse(text);
      return true;
    } catch (BadInputException e) {
      return false;
    }
  }
}
