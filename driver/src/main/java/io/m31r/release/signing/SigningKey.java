package io.m31r.release.signing;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * An EC private key that signs deterministically (RFC 6979: the nonce is derived from the key and
 * the message digest with HMAC), so the same key and the same bytes give the same signature bytes.
 * Its string form shows the public key hint only.
 */
public final class SigningKey {
  private final ECPrivateKey privateKey;
  private final ECPublicKey publicKey;
  private final EcCurve curve;

  private SigningKey(ECPrivateKey privateKey, ECPublicKey publicKey, EcCurve curve) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.curve = curve;
  }

  /** From PKCS#8 PEM bytes; {@code source} names where they came from (a path or an environment variable). */
  public static SigningKey fromPem(byte[] pem, String source) {
    ECPrivateKey k = PemKeys.parsePrivate(pem, source);
    return of(k, source);
  }

  static SigningKey of(ECPrivateKey k, String source) {
    EcCurve curve = EcCurve.of(k, source);
    // PKCS#8 from the JDK does not carry the public point: derive it as d*G.
    var q = curve.parameters().getG().multiply(k.getS()).normalize();
    ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    try {
      ECPublicKey pub = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, k.getParams()));
      return new SigningKey(k, pub, curve);
    } catch (GeneralSecurityException e) {
      throw new BadInputException(source + ": cannot derive the public key of this EC private key");
    }
  }

  public ECPublicKey publicKey() {
    return publicKey;
  }

  public EcCurve curve() {
    return curve;
  }

  public String hint() {
    return PemKeys.hint(publicKey);
  }

  /** DER-encoded ECDSA signature of {@code message}, hashed with the curve's hash. */
  public byte[] sign(byte[] message) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance(curve.hashAlgorithm()).digest(message);
    } catch (GeneralSecurityException e) {
      throw new InfrastructureException("this JVM lacks " + curve.hashAlgorithm() + ": " + e.getMessage(), e);
    }
    var domain = curve.domain();
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(curve.newBcDigest()));
    signer.init(true, new ECPrivateKeyParameters(privateKey.getS(), domain));
    BigInteger[] rs = signer.generateSignature(digest);
    try {
      return StandardDSAEncoding.INSTANCE.encode(domain.getN(), rs[0], rs[1]);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("DER encoding of an ECDSA signature failed", e);
    }
  }

  /** PKCS#8 PEM of the private key, for {@code m31r keygen} only. */
  String privatePem() {
    return PemKeys.privatePem(privateKey);
  }

  @Override
  public String toString() {
    return "SigningKey[" + curve.nistName() + ", hint " + hint() + "]";
  }
}
