package io.m31r.release.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;

/**
 * A Sigstore bundle v0.3 holding a DSSE envelope and a public-key hint, as model_signing's
 * "private key" method writes it: no certificate, no transparency log entry ({@code tlogEntries}
 * is written, empty, because {@code @sigstore/bundle} requires it), {@code keyid} empty.
 *
 * @param hint model_signing's key hint, or null when the bundle has none
 */
public record SigstoreBundle(String hint, String payloadType, byte[] payload, byte[] signature) {
  public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Compact JSON in the field order model_signing writes. */
  public byte[] toJson() {
    ObjectNode b = JSON.createObjectNode();
    b.put("mediaType", MEDIA_TYPE);
    ObjectNode vm = b.putObject("verificationMaterial");
    vm.putObject("publicKey").put("hint", hint);
    vm.putArray("tlogEntries");
    ObjectNode env = b.putObject("dsseEnvelope");
    env.put("payload", Base64.getEncoder().encodeToString(payload));
    env.put("payloadType", payloadType);
    ObjectNode sig = env.putArray("signatures").addObject();
    sig.put("sig", Base64.getEncoder().encodeToString(signature));
    sig.put("keyid", "");
    try {
      return JSON.writeValueAsBytes(b);
    } catch (IOException e) {
      throw new IllegalStateException("cannot render a bundle", e);
    }
  }

  /** Reads a bundle; what model_signing would refuse is refused here with the reason. */
  public static SigstoreBundle parse(byte[] json, String source) {
    JsonNode b;
    try {
      b = JSON.readTree(json);
    } catch (IOException e) {
      throw new SignatureInvalidException(source + ": not a JSON Sigstore bundle");
    }
    if (b == null || !MEDIA_TYPE.equals(b.path("mediaType").asText(null))) {
      throw new SignatureInvalidException(source + ": mediaType is not " + MEDIA_TYPE);
    }
    JsonNode env = b.path("dsseEnvelope");
    JsonNode sigs = env.path("signatures");
    if (!env.isObject() || !sigs.isArray() || sigs.isEmpty()) {
      throw new SignatureInvalidException(source + ": no DSSE envelope with a signature");
    }
    JsonNode hint = b.path("verificationMaterial").path("publicKey").path("hint");
    try {
      return new SigstoreBundle(
          hint.isTextual() ? hint.textValue() : null,
          env.path("payloadType").asText(""),
          Base64.getDecoder().decode(env.path("payload").asText("")),
          Base64.getDecoder().decode(sigs.get(0).path("sig").asText("")));
    } catch (IllegalArgumentException e) {
      throw new SignatureInvalidException(source + ": payload or signature is not base64");
    }
  }
}
