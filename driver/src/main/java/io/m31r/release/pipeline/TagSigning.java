package io.m31r.release.pipeline;

import io.m31r.release.config.TagSigningSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.signing.KeySource;
import io.m31r.release.signing.SshSignature;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * The tag signer {@code release.tag_signing} asks for, loaded before any work. Asking for signed
 * tags and not providing the key is a configuration error (exit 2), never a silently unsigned tag.
 */
final class TagSigning {
  /** git's namespace for SSH signatures of commits and tags. */
  static final String GIT_NAMESPACE = "git";

  private TagSigning() {}

  static Optional<Function<byte[], String>> prepare(TagSigningSettings s, Path baseDir, KeySource keys) {
    if (s == null) {
      return Optional.empty();
    }
    var key = keys.load("release.tag_signing", s.privateKeyFile(), s.privateKeyEnv(), baseDir)
        .orElseThrow(() -> new BadInputException("config release.tag_signing.private_key_env: environment variable "
            + s.privateKeyEnv() + " is unset or empty"));
    SshSignature ssh = new SshSignature(key, GIT_NAMESPACE);
    return Optional.of(ssh::sign);
  }
}
