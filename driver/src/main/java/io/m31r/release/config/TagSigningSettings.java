package io.m31r.release.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.m31r.release.failure.BadInputException;

/**
 * {@code release.tag_signing}: sign the annotated release tag. Only {@code format: ssh} is
 * implemented (an SSH signature by an ECDSA key in PKCS#8 PEM, checked by {@code git tag -v} with
 * {@code gpg.format=ssh}); the key comes from a file or an environment variable, as for
 * {@link SigningSettings}.
 */
public record TagSigningSettings(
    @JsonProperty(value = "format", required = true) String format,
    @JsonProperty("private_key_file") String privateKeyFile,
    @JsonProperty("private_key_env") String privateKeyEnv) {
  @JsonCreator
  public TagSigningSettings {
    if (!"ssh".equals(format)) {
      throw new BadInputException("config release.tag_signing.format: only 'ssh' is supported, got '" + format + "'");
    }
    SigningSettings.KeySource.check("release.tag_signing", privateKeyFile, privateKeyEnv, false);
  }
}
