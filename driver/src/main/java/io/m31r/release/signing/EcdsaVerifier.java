package io.m31r.release.signing;

import io.m31r.release.failure.InfrastructureException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;

/** ECDSA verification with the JDK's own provider: independent of the BouncyCastle signer. */
final class EcdsaVerifier {
  private EcdsaVerifier() {}

  static boolean verify(ECPublicKey key, byte[] message, byte[] derSignature) {
    EcCurve curve = EcCurve.of(key, "public key");
    try {
      Signature s = Signature.getInstance(curve.jcaSignature());
      s.initVerify(key);
      s.update(message);
      return s.verify(derSignature);
    } catch (SignatureException e) {
      // Not DER, or out of range: a signature that does not verify.
      return false;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new InfrastructureException("this JVM cannot verify " + curve.jcaSignature() + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
