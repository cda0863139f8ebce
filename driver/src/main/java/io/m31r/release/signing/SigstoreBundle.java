package io.m31r.release.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.formats.StrictMappers;
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
  // Read strictly like every input; written compact in model_signing's field order, which the
  // independent verifiers read, so not through CanonicalJson (sorted keys, indented).
  private static final ObjectMapper JSON = StrictMappers.json();

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

  /**
   * Reads a bundle strictly: exactly the fields this method writes (a 1.0-style {@code rawBytes}
   * key or a certificate is refused rather than ignored), canonical base64, one signature.
   */
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
    JsonNode vm = b.path("verificationMaterial");
    JsonNode env = b.path("dsseEnvelope");
    JsonNode sigs = env.path("signatures");
    fields(b, source, "bundle", "mediaType", "verificationMaterial", "dsseEnvelope");
    fields(vm, source, "verificationMaterial", "publicKey", "tlogEntries");
    if (vm.has("publicKey")) {
      fields(vm.get("publicKey"), source, "publicKey", "hint");
    }
    if (!vm.path("tlogEntries").isArray() || !vm.path("tlogEntries").isEmpty()) {
      throw new SignatureInvalidException(source + ": tlogEntries must be an empty list for a key-signed bundle");
    }
    fields(env, source, "dsseEnvelope", "payload", "payloadType", "signatures");
    if (!sigs.isArray() || sigs.size() != 1) {
      throw new SignatureInvalidException(source + ": the DSSE envelope must hold exactly one signature");
    }
    fields(sigs.get(0), source, "signature", "sig", "keyid");
    JsonNode hint = vm.path("publicKey").path("hint");
    if (!hint.isMissingNode() && !hint.isTextual()) {
      throw new SignatureInvalidException(source + ": publicKey.hint is not a string");
    }
    return new SigstoreBundle(
        hint.isTextual() ? hint.textValue() : null,
        env.path("payloadType").asText(""),
        base64(env.path("payload"), source),
        base64(sigs.get(0).path("sig"), source));
  }

  private static void fields(JsonNode n, String source, String what, String... allowed) {
    if (!n.isObject()) {
      throw new SignatureInvalidException(source + ": " + what + " is not an object");
    }
    java.util.Set<String> ok = java.util.Set.of(allowed);
    n.fieldNames().forEachRemaining(f -> {
      if (!ok.contains(f)) {
        throw new SignatureInvalidException(source + ": unexpected field '" + f + "' in " + what);
      }
    });
  }

  /** Only the canonical encoding: another spelling of the same bytes is a changed bundle. */
  static byte[] base64(JsonNode n, String source) {
    String text = n.isTextual() ? n.textValue() : "";
    try {
      byte[] bytes = Base64.getDecoder().decode(text);
      if (bytes.length == 0 || !Base64.getEncoder().encodeToString(bytes).equals(text)) {
        throw new IllegalArgumentException("not canonical");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw new SignatureInvalidException(source + ": payload or signature is not canonical base64");
    }
  }
}
