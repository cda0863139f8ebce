package io.m31r.release.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signature sidecars are read like every other JSON input: a second document after the first is
 * refused, not ignored, so two readers cannot see different signatures in one file.
 */
class SignatureJsonStrictnessTest {
  @TempDir Path tmp;

  private SigningKey key() throws Exception {
    Path pem = KeyPairFiles.generate(tmp.resolve("keys")).privateKey();
    return SigningKey.fromPem(Files.readAllBytes(pem), "test key");
  }

  @Test
  void aDsseEnvelopeWithTrailingContentIsRefused() throws Exception {
    DsseEnvelope env = DsseEnvelope.sign("application/vnd.in-toto+json", "{}".getBytes(StandardCharsets.UTF_8), key());
    byte[] json = env.toJson();
    assertArrayEquals(env.payload(), DsseEnvelope.parse(json, "p.sig").payload());
    SignatureInvalidException e = assertThrows(SignatureInvalidException.class,
        () -> DsseEnvelope.parse(concat(json, env.toJson()), "p.sig"));
    assertEquals(ExitCode.INTEGRITY, e.exitCode());
    assertTrue(e.getMessage().contains("p.sig: not a DSSE envelope"), e.getMessage());
  }

  @Test
  void aSigstoreBundleWithTrailingContentIsRefused() throws Exception {
    SigningKey k = key();
    byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
    SigstoreBundle b = new SigstoreBundle(k.hint(), "application/vnd.in-toto+json", payload, k.sign(payload));
    byte[] json = b.toJson();
    assertEquals(k.hint(), SigstoreBundle.parse(json, "m.sig").hint());
    SignatureInvalidException e = assertThrows(SignatureInvalidException.class,
        () -> SigstoreBundle.parse(concat(json, "{}".getBytes(StandardCharsets.UTF_8)), "m.sig"));
    assertTrue(e.getMessage().contains("m.sig: not a JSON Sigstore bundle"), e.getMessage());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
