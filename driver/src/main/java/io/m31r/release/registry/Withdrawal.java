package io.m31r.release.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.version.Semver;
import java.io.IOException;
import java.util.Arrays;

/**
 * {@code <root>/.withdrawn/<version>.json}: a release marked withdrawn by {@code m31r yank}. Its
 * own immutable record, so index rebuilds keep it, and the release itself is never touched.
 */
public record Withdrawal(String version, String reason) {
  public Withdrawal {
    Semver.parse(version);
    if (reason == null || reason.isBlank() || reason.contains("\n") || reason.length() > 500) {
      throw new BadInputException("yank --reason: one non-empty line of at most 500 characters");
    }
  }

  public byte[] bytes() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("reason", reason);
    n.put("version", version);
    return CanonicalJson.bytes(n);
  }

  public static Withdrawal parse(byte[] bytes, String where) {
    try {
      JsonNode n = CanonicalJson.mapper().readTree(bytes);
      if (n == null || !n.isObject() || n.size() != 2 || !n.path("reason").isTextual() || !n.path("version").isTextual()) {
        throw new IntegrityException(where + " is not {\"reason\", \"version\"}");
      }
      Withdrawal w = new Withdrawal(n.get("version").textValue(), n.get("reason").textValue());
      if (!Arrays.equals(w.bytes(), bytes)) {
        throw new IntegrityException(where + " is not in canonical form");
      }
      return w;
    } catch (IOException | BadInputException e) {
      throw new IntegrityException(where + " is corrupted: " + e.getMessage(), e);
    }
  }
}
