package io.m31r.release.signing;

import io.m31r.release.failure.BadInputException;
import java.math.BigInteger;
import java.security.interfaces.ECKey;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;

/**
 * The three curves the model-signing "private key" method accepts, each with the hash it signs
 * with: the hash follows the curve size, so a P-384 bundle is SHA-384, never SHA-256.
 */
public enum EcCurve {
  P256("P-256", "secp256r1", "SHA-256", "SHA256withECDSA", "nistp256"),
  P384("P-384", "secp384r1", "SHA-384", "SHA384withECDSA", "nistp384"),
  P521("P-521", "secp521r1", "SHA-512", "SHA512withECDSA", "nistp521");

  private final String nistName;
  private final String jdkName;
  private final String hash;
  private final String jcaSignature;
  private final String sshName;

  EcCurve(String nistName, String jdkName, String hash, String jcaSignature, String sshName) {
    this.nistName = nistName;
    this.jdkName = jdkName;
    this.hash = hash;
    this.jcaSignature = jcaSignature;
    this.sshName = sshName;
  }

  /** The curve of a JDK EC key, told by its group order; anything else is refused. */
  public static EcCurve of(ECKey key, String source) {
    BigInteger order = key.getParams().getOrder();
    for (EcCurve c : values()) {
      if (c.parameters().getN().equals(order)) {
        return c;
      }
    }
    throw new BadInputException(source + ": EC key on an unsupported curve (only P-256, P-384 and P-521)");
  }

  public String nistName() {
    return nistName;
  }

  public String jdkName() {
    return jdkName;
  }

  public String hashAlgorithm() {
    return hash;
  }

  public String jcaSignature() {
    return jcaSignature;
  }

  /** The curve's name in SSH key types ({@code ecdsa-sha2-nistp256}). */
  public String sshName() {
    return sshName;
  }

  X9ECParameters parameters() {
    return NISTNamedCurves.getByName(nistName);
  }

  ECDomainParameters domain() {
    X9ECParameters x = parameters();
    return new ECDomainParameters(x.getCurve(), x.getG(), x.getN(), x.getH());
  }

  Digest newBcDigest() {
    return switch (this) {
      case P256 -> new SHA256Digest();
      case P384 -> new SHA384Digest();
      case P521 -> new SHA512Digest();
    };
  }
}
