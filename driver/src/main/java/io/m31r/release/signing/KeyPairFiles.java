package io.m31r.release.signing;

import io.m31r.release.failure.ConflictException;
import io.m31r.release.failure.InfrastructureException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;

/** {@code m31r keygen}: a fresh P-256 key pair on disk, the private half readable by its owner only. */
public final class KeyPairFiles {
  public static final String PRIVATE = "signing-key.pem";
  public static final String PUBLIC = "signing-key.pub";

  public record Written(Path privateKey, Path publicKey, String hint) {}

  private KeyPairFiles() {}

  public static Written generate(Path dir) {
    SigningKey key;
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(EcCurve.P256.jdkName()));
      key = SigningKey.of((ECPrivateKey) g.generateKeyPair().getPrivate(), "generated key");
    } catch (GeneralSecurityException e) {
      throw new InfrastructureException("this JVM cannot generate a P-256 key: " + e.getMessage(), e);
    }
    Path priv = dir.resolve(PRIVATE);
    Path pub = dir.resolve(PUBLIC);
    try {
      Files.createDirectories(dir);
      if (Files.exists(priv) || Files.exists(pub)) {
        throw new ConflictException("key files already exist in " + dir + "; they were left untouched");
      }
      // Created with mode 0600 from the start: the key is never readable by others, not even briefly.
      Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(priv, key.privatePem(), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
      Files.writeString(pub, PemKeys.publicPem(key.publicKey()), StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
    } catch (FileAlreadyExistsException e) {
      throw new ConflictException("key file " + e.getFile() + " already exists; it was left untouched");
    } catch (IOException e) {
      throw new InfrastructureException("cannot write the key pair under " + dir + ": " + e.getMessage(), e);
    }
    return new Written(priv, pub, key.hint());
  }
}
