package io.m31r.release.signing;

import io.m31r.release.failure.InfrastructureException;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * OpenSSH's signature format ({@code ssh-keygen -Y sign}, PROTOCOL.sshsig) made with an ECDSA
 * {@link SigningKey}: what {@code git tag -v} checks when {@code gpg.format=ssh}. The message is
 * hashed with SHA-512 inside the format; the ECDSA signature itself uses the curve's hash.
 */
public final class SshSignature {
  private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
  private static final String HASH = "sha512";

  private final SigningKey key;
  private final String namespace;

  public SshSignature(SigningKey key, String namespace) {
    this.key = key;
    this.namespace = namespace;
  }

  /** The armored signature of {@code message}, as git appends it to a tag. */
  public String sign(byte[] message) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-512").digest(message);
    } catch (GeneralSecurityException e) {
      throw new InfrastructureException("this JVM lacks SHA-512: " + e.getMessage(), e);
    }
    Wire signed = new Wire().raw(MAGIC).string(namespace.getBytes(StandardCharsets.UTF_8)).string(new byte[0])
        .string(HASH.getBytes(StandardCharsets.US_ASCII)).string(digest);
    byte[] der = key.sign(signed.bytes());
    BigInteger[] rs;
    try {
      rs = StandardDSAEncoding.INSTANCE.decode(key.curve().domain().getN(), der);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("our own ECDSA signature does not decode", e);
    }
    byte[] ecdsa = new Wire().mpint(rs[0]).mpint(rs[1]).bytes();
    byte[] sigBlob = new Wire().string(keyType()).string(ecdsa).bytes();
    byte[] blob = new Wire().raw(MAGIC).uint32(1).string(publicKeyBlob()).string(namespace.getBytes(StandardCharsets.UTF_8))
        .string(new byte[0]).string(HASH.getBytes(StandardCharsets.US_ASCII)).string(sigBlob).bytes();
    String b64 = Base64.getMimeEncoder(70, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(blob);
    return "-----BEGIN SSH SIGNATURE-----\n" + b64 + "\n-----END SSH SIGNATURE-----\n";
  }

  /** {@code ecdsa-sha2-nistp256 AAAA...}: the public key as an allowed-signers file or authorized_keys lists it. */
  public String openSshPublicKey() {
    return "ecdsa-sha2-" + key.curve().sshName() + " " + Base64.getEncoder().encodeToString(publicKeyBlob());
  }

  private byte[] keyType() {
    return ("ecdsa-sha2-" + key.curve().sshName()).getBytes(StandardCharsets.US_ASCII);
  }

  private byte[] publicKeyBlob() {
    var w = key.publicKey().getW();
    int size = (key.publicKey().getParams().getCurve().getField().getFieldSize() + 7) / 8;
    ByteArrayOutputStream q = new ByteArrayOutputStream();
    q.write(4);
    q.writeBytes(fixed(w.getAffineX(), size));
    q.writeBytes(fixed(w.getAffineY(), size));
    return new Wire().string(keyType()).string(key.curve().sshName().getBytes(StandardCharsets.US_ASCII)).string(q.toByteArray()).bytes();
  }

  private static byte[] fixed(BigInteger v, int size) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[size];
    int n = Math.min(b.length, size);
    System.arraycopy(b, b.length - n, out, size - n, n);
    return out;
  }

  /** SSH wire encoding: uint32 big-endian, length-prefixed strings, two's-complement mpints. */
  private static final class Wire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Wire raw(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    Wire uint32(int v) {
      out.write(v >>> 24);
      out.write(v >>> 16);
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    Wire string(byte[] b) {
      return uint32(b.length).raw(b);
    }

    Wire mpint(BigInteger v) {
      return string(v.signum() == 0 ? new byte[0] : v.toByteArray());
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
