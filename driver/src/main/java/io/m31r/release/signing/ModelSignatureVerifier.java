package io.m31r.release.signing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * {@code model_signing verify key} in Java, in its order: media type, key by hint, ECDSA over the
 * DSSE PAE (hash by curve: P-256 SHA-256, P-384 SHA-384, P-521 SHA-512), payload type, statement,
 * then the folder re-hashed with the signature's own ignore list and compared as a map.
 */
public final class ModelSignatureVerifier {
  /** What verified: the trusted key and the signed statement. */
  public record Verified(TrustedKeys.TrustedKey key, ModelSigningStatement statement) {}

  /**
   * @param extraIgnore paths relative to {@code dir} to skip besides the signature's (the
   *     signature file itself when it lies inside the folder)
   */
  public Verified verify(Path dir, Configuration conf, byte[] bundleJson, String source, TrustedKeys keys,
      Collection<String> extraIgnore) {
    SigstoreBundle bundle = SigstoreBundle.parse(bundleJson, source);
    TrustedKeys.TrustedKey key = keyFor(bundle, source, keys);
    if (!bundle.payloadType().equals(Dsse.IN_TOTO_PAYLOAD_TYPE)) {
      throw new SignatureInvalidException(source + ": payloadType " + bundle.payloadType() + " is not " + Dsse.IN_TOTO_PAYLOAD_TYPE);
    }
    ModelSigningStatement st = ModelSigningStatement.parse(bundle.payload(), source);
    Set<String> ignore = new LinkedHashSet<>(FolderDigests.GIT_PATHS);
    ignore.addAll(st.ignorePaths());
    ignore.addAll(extraIgnore);
    Map<String, String> actual = FolderDigests.of(dir, conf, ignore);
    compare(st.resources(), actual, dir, source);
    return new Verified(key, st);
  }

  /** The trusted key named by the hint whose signature verifies; an unknown hint is an untrusted key. */
  static TrustedKeys.TrustedKey keyFor(SigstoreBundle bundle, String source, TrustedKeys keys) {
    byte[] pae = Dsse.pae(bundle.payloadType(), bundle.payload());
    if (bundle.hint() == null) {
      // model_signing 1.1 accepts a bundle without hint: try each trusted key.
      for (TrustedKeys.TrustedKey k : keys.all()) {
        if (EcdsaVerifier.verify(k.key(), pae, bundle.signature())) {
          return k;
        }
      }
      throw new SignatureInvalidException(source + ": signature invalid: no trusted key verifies it (the bundle names no key)");
    }
    Optional<TrustedKeys.TrustedKey> key = keys.byHint(bundle.hint());
    if (key.isEmpty()) {
      throw new UntrustedKeyException(
          source + ": signed by an untrusted key (hint " + bundle.hint() + "), not one of the " + keys.all().size()
              + " key(s) in " + keys.source());
    }
    if (!EcdsaVerifier.verify(key.get().key(), pae, bundle.signature())) {
      throw new SignatureInvalidException(
          source + ": signature invalid: the ECDSA signature over the signed statement does not verify with key '" + key.get().name() + "'");
    }
    return key.get();
  }

  private static void compare(Map<String, String> signed, Map<String, String> actual, Path dir, String source) {
    List<String> problems = new ArrayList<>();
    for (String name : new TreeSet<>(signed.keySet())) {
      String a = actual.get(name);
      if (a == null) {
        problems.add("missing " + name);
      } else if (!a.equals(signed.get(name))) {
        problems.add(name + " has sha256 " + a + ", signed " + signed.get(name));
      }
    }
    for (String name : new TreeSet<>(actual.keySet())) {
      if (!signed.containsKey(name)) {
        problems.add("extra " + name + " (not signed)");
      }
    }
    if (!problems.isEmpty()) {
      throw new SignedDigestMismatchException(
          "file digest differs from the signed one in " + dir + " (" + source + "): " + String.join("; ", problems));
    }
  }
}
