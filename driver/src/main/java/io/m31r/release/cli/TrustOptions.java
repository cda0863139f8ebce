package io.m31r.release.cli;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.signing.TrustedKeys;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Which keys make a release authentic: {@code --trusted-keys FILE}, {@code --public-key KEY.pub},
 * or the file named by {@code $M31R_TRUSTED_KEYS}. Registry commands read no release.yaml for
 * this ({@code rollback --root} may have none), so the keys come from the command line or the
 * environment only.
 */
final class TrustOptions {
  static final String ENV = "M31R_TRUSTED_KEYS";
  static final String NOT_CHECKED =
      "authenticity NOT checked: no trusted keys given (--trusted-keys FILE, --public-key KEY.pub or $" + ENV
          + "); checksums detect accidents, not forgery";

  @Option(names = "--trusted-keys", paramLabel = "FILE",
      description = "Trusted public keys with validity windows (docs/signing.md); default: the file named by $" + ENV + ".")
  Path trustedKeys;

  @Option(names = "--public-key", paramLabel = "KEY.pub", description = "Trust exactly this PEM public key.")
  Path publicKey;

  /** The trusted keys, if any were given. */
  Optional<TrustedKeys> keys() {
    if (trustedKeys != null && publicKey != null) {
      throw new BadInputException("give --trusted-keys or --public-key, not both");
    }
    if (publicKey != null) {
      return Optional.of(TrustedKeys.publicKeyFile(publicKey));
    }
    if (trustedKeys != null) {
      return Optional.of(TrustedKeys.file(trustedKeys));
    }
    String env = System.getenv(ENV);
    return env == null || env.isBlank() ? Optional.empty() : Optional.of(TrustedKeys.file(Path.of(env)));
  }
}
