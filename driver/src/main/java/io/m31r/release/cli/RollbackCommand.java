package io.m31r.release.cli;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.registry.ReleaseLocation;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.registry.Rollback;
import io.m31r.release.signing.ReleaseAuthenticity;
import io.m31r.release.signing.TrustedKeys;
import io.m31r.release.signing.UnsignedReleaseException;
import io.m31r.release.version.Semver;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Makes an earlier type A release current again, after verifying it (exit 4 if it is corrupted).",
      "With trusted keys a signed target must verify; --require-signature also refuses an unsigned one",
      "unless --allow-unsigned names it. Only CURRENT and index.json change; no release is touched.",
      "A newer type A release published later becomes current as usual."
    })
final class RollbackCommand extends RegistryCommand {
  @Option(names = "--to", required = true, paramLabel = "VERSION", description = "The version to make current.")
  String version;

  @Mixin TrustOptions trust;

  @Option(names = "--require-signature", description = "Refuse a target that is unsigned or not signed by a trusted key.")
  boolean requireSignature;

  @Option(names = "--allow-unsigned", paramLabel = "VERSION",
      description = "With --require-signature, accept this release although it is unsigned (one version per option).")
  List<String> allowUnsigned = List.of();

  @Override
  public Integer call() {
    ReleaseRoot root = releaseRoot(hadoopConf());
    Optional<TrustedKeys> keys = trust.keys();
    if (requireSignature && keys.isEmpty()) {
      throw new BadInputException("--require-signature needs trusted keys: --trusted-keys FILE, --public-key KEY.pub or $" + TrustOptions.ENV);
    }
    Semver v = Semver.parse(version);
    Optional<ReleaseLocation> target = root.find(v);
    if (target.isPresent()) {
      // On stderr: stdout stays the one "current: A -> B" line scripts read.
      err().println("m31r: " + authenticity(root, target.get(), keys));
    }
    Rollback.Result r = new Rollback().to(root, v);
    out().println("current: " + r.previous().map(Semver::toString).orElse("(none)") + " -> " + r.current());
    out().flush();
    return ExitCode.OK.code();
  }

  /** Refuses (exit 4) before anything changes; returns what was established about the target. */
  private String authenticity(ReleaseRoot root, ReleaseLocation target, Optional<TrustedKeys> keys) {
    if (ReleaseAuthenticity.presence(target.dir(), root.conf()) == ReleaseAuthenticity.Presence.UNSIGNED) {
      if (requireSignature && !allowUnsigned.contains(version)) {
        throw new UnsignedReleaseException("release " + version + " is unsigned and --require-signature refuses it, CURRENT unchanged"
            + " (accept it explicitly with --allow-unsigned " + version + ")");
      }
      return "signature: release " + version + " is unsigned" + (requireSignature ? " (accepted by --allow-unsigned)" : "");
    }
    if (keys.isEmpty()) {
      return "signature: present; " + TrustOptions.NOT_CHECKED;
    }
    return "authentic: " + new ReleaseAuthenticity().verify(target.dir(), root.conf(), keys.get()).describe();
  }
}
