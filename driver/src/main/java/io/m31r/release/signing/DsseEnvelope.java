package io.m31r.release.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.formats.StrictMappers;
import java.io.IOException;
import java.util.Base64;

/**
 * A bare DSSE envelope ({@code payload}, {@code payloadType}, {@code signatures[{keyid, sig}]}),
 * the usual container of in-toto attestations; the provenance uses it, with the signer's key hint
 * as {@code keyid}.
 */
public record DsseEnvelope(String payloadType, byte[] payload, String keyid, byte[] signature) {
  // Read strictly like every input; written compact in model_signing's field order, which the
  // independent verifiers read, so not through CanonicalJson (sorted keys, indented).
  private static final ObjectMapper JSON = StrictMappers.json();

  public static DsseEnvelope sign(String payloadType, byte[] payload, SigningKey key) {
    return new DsseEnvelope(payloadType, payload, key.hint(), key.sign(Dsse.pae(payloadType, payload)));
  }

  /**
   * The trusted key whose signature over this envelope verifies, by {@code model_signing}'s rules
   * (key by hint; an unknown hint is an untrusted key, exit 4; a bad signature is exit 4). The key's
   * validity window is the caller's to check: only it knows the date the signature speaks for.
   */
  public TrustedKeys.TrustedKey signer(TrustedKeys keys, String source) {
    return ModelSignatureVerifier.keyFor(new SigstoreBundle(keyid, payloadType, payload, signature), source, keys);
  }

  public byte[] toJson() {
    ObjectNode env = JSON.createObjectNode();
    env.put("payload", Base64.getEncoder().encodeToString(payload));
    env.put("payloadType", payloadType);
    ObjectNode sig = env.putArray("signatures").addObject();
    sig.put("keyid", keyid);
    sig.put("sig", Base64.getEncoder().encodeToString(signature));
    try {
      return JSON.writeValueAsBytes(env);
    } catch (IOException e) {
      throw new IllegalStateException("cannot render a DSSE envelope", e);
    }
  }

  public static DsseEnvelope parse(byte[] json, String source) {
    try {
      JsonNode env = JSON.readTree(json);
      JsonNode sigs = env == null ? null : env.path("signatures");
      if (sigs == null || !sigs.isArray() || sigs.size() != 1) {
        throw new SignatureInvalidException(source + ": not a DSSE envelope with exactly one signature");
      }
      return new DsseEnvelope(
          env.path("payloadType").asText(""),
          SigstoreBundle.base64(env.path("payload"), source),
          sigs.get(0).path("keyid").asText(""),
          SigstoreBundle.base64(sigs.get(0).path("sig"), source));
    } catch (IOException | IllegalArgumentException e) {
      throw new SignatureInvalidException(source + ": not a DSSE envelope (JSON with base64 payload and signature)");
    }
  }
}
