package io.m31r.release.signing;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.hashing.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM text of EC keys. Public keys are SubjectPublicKeyInfo ({@code PUBLIC KEY}), private keys
 * unencrypted PKCS#8 ({@code PRIVATE KEY}). Error messages name the source and never quote the
 * text: a private key must not reach a log through an error.
 */
public final class PemKeys {
  private static final Pattern PUBLIC_BLOCK =
      Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");
  private static final Pattern PRIVATE_BLOCK =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private PemKeys() {}

  /** The one public key block in {@code text} (text around it, such as certtool's dump, is ignored). */
  public static ECPublicKey parsePublic(String text, String source) {
    Matcher m = PUBLIC_BLOCK.matcher(text);
    if (!m.find()) {
      throw new BadInputException(source + ": no '-----BEGIN PUBLIC KEY-----' block");
    }
    byte[] der = base64(m.group(1), source);
    if (m.find()) {
      throw new BadInputException(source + ": more than one public key block; give one key per file or entry");
    }
    try {
      PublicKey k = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
      ECPublicKey ec = (ECPublicKey) k;
      EcCurve.of(ec, source);
      return ec;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new BadInputException(source + ": not an EC public key");
    }
  }

  /** Parses an unencrypted PKCS#8 EC private key; the message of a failure never quotes the key. */
  public static ECPrivateKey parsePrivate(byte[] pem, String source) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new BadInputException(source + ": the private key is encrypted; give an unencrypted PKCS#8 key (protect the file or the secret store instead)");
    }
    if (text.contains("-----BEGIN EC PRIVATE KEY-----")) {
      throw new BadInputException(source + ": SEC1 'EC PRIVATE KEY'; convert it to PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt'");
    }
    Matcher m = PRIVATE_BLOCK.matcher(text);
    if (!m.find()) {
      throw new BadInputException(source + ": no '-----BEGIN PRIVATE KEY-----' block");
    }
    byte[] der = base64(m.group(1), source);
    try {
      ECPrivateKey k = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
      EcCurve.of(k, source);
      return k;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new BadInputException(source + ": not an EC private key in PKCS#8");
    }
  }

  /**
   * The PEM text model_signing hashes for its key hint: 64-character base64 lines, LF, a final
   * newline. The JDK's default MIME encoder (76 characters, CRLF) would give another hint.
   */
  public static String publicPem(ECPublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  public static String privatePem(ECPrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  /** model_signing's {@code publicKey.hint}: hex SHA-256 of {@link #publicPem}. */
  public static String hint(ECPublicKey key) {
    return Sha256.hex(publicPem(key));
  }

  private static String pem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  private static byte[] base64(String body, String source) {
    try {
      return Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new BadInputException(source + ": the PEM body is not valid base64");
    }
  }
}
