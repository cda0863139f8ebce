package io.m31r.release.cli;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.hadoop.StorageUris;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.packaging.ReleaseVerifier;
import io.m31r.release.packaging.VerifyReport;
import io.m31r.release.registry.PublishRecord;
import io.m31r.release.registry.ReleaseLocation;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.registry.RootHealth;
import io.m31r.release.registry.Withdrawal;
import io.m31r.release.signing.ModelSignatureVerifier;
import io.m31r.release.signing.ReleaseAuthenticity;
import io.m31r.release.signing.SignatureFiles;
import io.m31r.release.signing.TrustedKeys;
import io.m31r.release.storage.ImmutableFileWriter;
import io.m31r.release.version.Semver;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Checks a release directory: exactly the six files, checksum.txt, metadata.json against the files,",
      "the version against the directory name, the safetensors header and config.yaml.",
      "With trusted keys (--trusted-keys, --public-key, $M31R_TRUSTED_KEYS) also its signature",
      "(<root>/signatures/<version>.sig) and signed provenance; without, it says authenticity was not checked.",
      "With --signature FILE, DIR is a plain model folder checked as 'model_signing verify key' does.",
      "A version (1.2.0) is looked up under --root through its publish record (a folder without one is",
      "not a release: exit 4), and the root's index.json, CURRENT and the recorded sidecars are checked too;",
      "anything else is a directory location. Exit 0 printing 'OK <dir>', 4 naming every problem."
    })
final class VerifyCommand extends RegistryCommand {
  @Parameters(index = "0", paramLabel = "DIR|VERSION", description = "Release directory, or a version under --root.")
  String release;

  @Mixin TrustOptions trust;

  @Option(names = "--signature", paramLabel = "FILE",
      description = "Verify DIR as an OpenSSF model-signing folder against this bundle (release checks are skipped).")
  java.nio.file.Path signature;

  @Override
  public Integer call() {
    Configuration conf = hadoopConf();
    Optional<TrustedKeys> keys = trust.keys();
    if (signature != null) {
      return verifyModelFolder(conf, keys.orElseThrow(
          () -> new BadInputException("--signature needs the signer's key: --public-key KEY.pub or --trusted-keys FILE")));
    }
    Path dir;
    List<String> problems = new ArrayList<>();
    Optional<Withdrawal> withdrawn = Optional.empty();
    Optional<Semver> version = version(release);
    if (version.isPresent()) {
      ReleaseRoot r = releaseRoot(conf);
      new RootHealth().check(r, r.list());
      ReleaseLocation location = r.find(version.get()).orElseThrow(() -> r.notARelease(version.get()));
      dir = location.dir();
      PublishRecord record = r.record(version.get()).orElseThrow();
      problems.addAll(sidecarProblems(r, record));
      withdrawn = r.withdrawal(version.get());
    } else {
      dir = StorageUris.resolve("release directory", release, conf);
    }
    VerifyReport report = new ReleaseVerifier().verify(dir, conf);
    problems.addAll(0, report.problems());
    if (!problems.isEmpty()) {
      problems.forEach(p -> out().println("problem: " + p));
      out().flush();
      err().println("m31r: release " + dir + " failed verification: " + problems.size()
          + (problems.size() == 1 ? " problem" : " problems"));
      return ExitCode.INTEGRITY.code();
    }
    if (keys.isEmpty()) {
      out().println("OK " + dir);
      withdrawn.ifPresent(w -> out().println("withdrawn: " + w.reason()));
      out().flush();
      // On stderr, so that stdout stays the OK line scripts read.
      err().println("m31r: signature: " + (ReleaseAuthenticity.presence(dir, conf) == ReleaseAuthenticity.Presence.SIGNED
          ? "present at " + SignatureFiles.forReleaseDir(dir).signature() : "none (unsigned release)"));
      err().println("m31r: " + TrustOptions.NOT_CHECKED);
      return ExitCode.OK.code();
    }
    try {
      ReleaseAuthenticity.Result r = new ReleaseAuthenticity().verify(dir, conf, keys.get());
      out().println("OK " + dir);
      out().println("authentic: " + r.describe());
      withdrawn.ifPresent(w -> out().println("withdrawn: " + w.reason()));
      out().flush();
      return ExitCode.OK.code();
    } catch (IntegrityException e) {
      out().println("problem: " + e.getMessage());
      out().flush();
      err().println("m31r: release " + dir + " is not authentic: " + e.getMessage());
      return ExitCode.INTEGRITY.code();
    }
  }

  private int verifyModelFolder(Configuration conf, TrustedKeys keys) {
    Path dir = StorageUris.resolve("model folder", release, conf);
    byte[] bundle;
    try {
      bundle = Files.readAllBytes(signature);
    } catch (java.io.IOException e) {
      throw new BadInputException("--signature " + signature + ": cannot be read: " + e.getClass().getSimpleName());
    }
    // As model_signing's CLI does, a signature kept inside the folder is not part of what it signs.
    java.nio.file.Path local = StorageUris.isLocal(dir) ? StorageUris.toLocal(dir) : null;
    java.nio.file.Path sig = signature.toAbsolutePath().normalize();
    List<String> extra = local != null && sig.startsWith(local) ? List.of(local.relativize(sig).toString().replace('\\', '/')) : List.of();
    try {
      ModelSignatureVerifier.Verified v = new ModelSignatureVerifier().verify(dir, conf, bundle, signature.toString(), keys, extra);
      out().println("OK " + dir + ": signature by key '" + v.key().name() + "' verifies; " + v.statement().resources().size()
          + " files match");
      out().flush();
      return ExitCode.OK.code();
    } catch (IntegrityException e) {
      out().println("problem: " + e.getMessage());
      out().flush();
      err().println("m31r: " + dir + " is not verified by its signature: " + e.getMessage());
      return ExitCode.INTEGRITY.code();
    }
  }

  /** Each sidecar the publish record pinned must still hold those bytes. */
  private static List<String> sidecarProblems(ReleaseRoot r, PublishRecord record) {
    List<String> out = new ArrayList<>();
    ImmutableFileWriter reader = new ImmutableFileWriter(r.conf());
    for (Map.Entry<String, String> e : record.sidecars().entrySet()) {
      byte[] bytes = reader.readIfExists(new Path(r.path(), e.getKey()));
      if (bytes == null) {
        out.add("sidecar " + e.getKey() + " recorded at publish is missing");
      } else if (!Sha256.hex(bytes).equals(e.getValue())) {
        out.add("sidecar " + e.getKey() + " has sha256 " + Sha256.hex(bytes) + ", its publish record " + e.getValue());
      }
    }
    return out;
  }

  /** The argument as a release version, or empty when it names a directory. */
  private static Optional<Semver> version(String text) {
    try {
      return Optional.of(Semver.parse(text));
    } catch (BadInputException e) {
      return Optional.empty();
    }
  }
}
