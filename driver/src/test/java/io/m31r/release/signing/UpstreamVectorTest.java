package io.m31r.release.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.m31r.release.failure.IntegrityException;
import io.m31r.release.testing.SigningKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ground truth from model_signing 1.1.0 itself: its P-384 test vector (read from the kit, never
 * copied) verifies here, our statement renders its payload byte for byte, and any changed byte of
 * a signed file or of the bundle is refused.
 */
class UpstreamVectorTest {
  @TempDir Path tmp;

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  private static ModelSignatureVerifier.Verified verify(Path model, byte[] sig, TrustedKeys keys) {
    return new ModelSignatureVerifier().verify(hadoop(model), new Configuration(), sig, "model.sig", keys, List.of("model.sig"));
  }

  @Test
  void upstreamVectorVerifiesAndItsPayloadIsOurs() throws Exception {
    Path v = SigningKit.upstreamVector();
    TrustedKeys keys = TrustedKeys.publicKeyFile(v.resolve("signing-key-pub.pem"));
    byte[] sig = Files.readAllBytes(v.resolve("model/model.sig"));
    SigstoreBundle bundle = SigstoreBundle.parse(sig, "model.sig");
    assertEquals(bundle.hint(), keys.all().get(0).hint(), "our key hint is model_signing's");
    assertEquals(EcCurve.P384, EcCurve.of(keys.all().get(0).key(), "key"));
    ModelSignatureVerifier.Verified ok = verify(v.resolve("model"), sig, keys);
    assertEquals(List.of("signme-1", "signme-2"), List.copyOf(ok.statement().resources().keySet()));
    // Same statement, same layout: our renderer reproduces model_signing's payload bytes.
    assertArrayEquals(bundle.payload(), ok.statement().payload());
    // And re-hashing the folder ourselves gives the same statement.
    var digests = FolderDigests.of(hadoop(v.resolve("model")), new Configuration(), List.of("model.sig", "ignore-me"));
    assertArrayEquals(bundle.payload(),
        ModelSigningStatement.of("v1.1.0-elliptic-key", digests, ok.statement().ignorePaths()).payload());
  }

  @Test
  void m31rVerifyAcceptsTheVectorAndRefusesItTampered() throws Exception {
    Path v = SigningKit.upstreamVector();
    String pub = v.resolve("signing-key-pub.pem").toString();
    var ok = io.m31r.release.testing.ReleaseFixtures.cli("verify", v.resolve("model").toString(),
        "--signature", v.resolve("model/model.sig").toString(), "--public-key", pub);
    assertEquals(0, ok.exitCode(), ok.out() + ok.err());
    assertEquals(true, ok.out().contains("2 files match"), ok.out());
    Path copy = tmp.resolve("tampered");
    Files.createDirectories(copy);
    for (String f : List.of("ignore-me", "model.sig", "signme-1", "signme-2")) {
      Files.write(copy.resolve(f), Files.readAllBytes(v.resolve("model").resolve(f)));
    }
    Files.writeString(copy.resolve("ignore-me"), "ignored, as upstream's ignore_paths says");
    assertEquals(0, io.m31r.release.testing.ReleaseFixtures.cli("verify", copy.toString(),
        "--signature", copy.resolve("model.sig").toString(), "--public-key", pub).exitCode());
    io.m31r.release.testing.ReleaseFixtures.flipByte(copy.resolve("signme-2"));
    var bad = io.m31r.release.testing.ReleaseFixtures.cli("verify", copy.toString(),
        "--signature", copy.resolve("model.sig").toString(), "--public-key", pub);
    assertEquals(4, bad.exitCode());
    assertEquals(true, bad.out().contains("file digest differs from the signed one") && bad.out().contains("signme-2"), bad.out());
  }

  @Test
  void anyChangedByteOfASignedFileIsRefused() throws Exception {
    Path v = SigningKit.upstreamVector();
    TrustedKeys keys = TrustedKeys.publicKeyFile(v.resolve("signing-key-pub.pem"));
    byte[] sig = Files.readAllBytes(v.resolve("model/model.sig"));
    Path copy = tmp.resolve("model");
    Files.createDirectories(copy);
    for (String f : List.of("ignore-me", "signme-1", "signme-2")) {
      Files.write(copy.resolve(f), Files.readAllBytes(v.resolve("model").resolve(f)));
    }
    verify(copy, sig, keys);
    for (String f : List.of("signme-1", "signme-2")) {
      byte[] original = Files.readAllBytes(copy.resolve(f));
      for (int i = 0; i < original.length; i++) {
        byte[] changed = original.clone();
        changed[i] ^= 0x01;
        Files.write(copy.resolve(f), changed);
        SignedDigestMismatchException e = assertThrows(SignedDigestMismatchException.class, () -> verify(copy, sig, keys));
        assertEquals(true, e.getMessage().contains("file digest differs from the signed one"), e.getMessage());
      }
      Files.write(copy.resolve(f), original);
    }
    Files.writeString(copy.resolve("signme-3"), "extra");
    assertThrows(SignedDigestMismatchException.class, () -> verify(copy, sig, keys));
  }

  @Test
  void anyChangedByteOfTheBundleIsRefused() throws Exception {
    Path v = SigningKit.upstreamVector();
    TrustedKeys keys = TrustedKeys.publicKeyFile(v.resolve("signing-key-pub.pem"));
    byte[] sig = Files.readAllBytes(v.resolve("model/model.sig"));
    String text = new String(sig, java.nio.charset.StandardCharsets.US_ASCII);
    SigstoreBundle b = SigstoreBundle.parse(sig, "model.sig");
    String payload = java.util.Base64.getEncoder().encodeToString(b.payload());
    int p0 = text.indexOf(payload);
    int p1 = p0 + payload.length();
    int tested = 0;
    for (int i = 0; i < sig.length; i++) {
      // Every byte of the JSON structure, hint and signature; every 32nd of the long base64 payload
      // (each of those changes the signed bytes, which the ECDSA check covers as a whole).
      if (i >= p0 && i < p1 && (i - p0) % 32 != 0) {
        continue;
      }
      tested++;
      byte[] changed = sig.clone();
      changed[i] ^= 0x01;
      try {
        verify(v.resolve("model"), changed, keys);
        fail("bundle with byte " + i + " ('" + (char) sig[i] + "') changed was accepted");
      } catch (IntegrityException expected) {
        // each kind of refusal is an integrity failure (exit 4)
      }
    }
    assertEquals(true, tested > 400, "bytes tested: " + tested);
  }
}
