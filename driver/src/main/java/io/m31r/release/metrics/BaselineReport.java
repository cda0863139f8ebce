package io.m31r.release.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.hashing.Hex;
import io.m31r.release.json.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of a previous release's report.json that regression gates read: the suite digest and
 * the gated metric values.
 */
public record BaselineReport(String source, String suiteDigest, Map<String, Double> gatedValues) {

  public static BaselineReport read(Path file) {
    JsonNode root;
    try {
      root = CanonicalJson.mapper().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new BadBaselineException("baseline " + file + ": not a readable JSON report: " + e.getMessage(), e);
    }
    String digest = root == null ? null : root.path("suite").path("digest").asText(null);
    if (digest == null || !Hex.isSha256(digest)) {
      throw new BadBaselineException("baseline " + file + ": suite.digest is missing or not a SHA-256");
    }
    JsonNode m = root.path("metrics");
    if (!m.isObject() || !m.path("compile_rate").isNumber()) {
      throw new BadBaselineException("baseline " + file + ": metrics.compile_rate is missing");
    }
    Map<String, Double> values = new LinkedHashMap<>();
    values.put(GatedMetric.COMPILE_RATE, m.get("compile_rate").asDouble());
    m.path("pass_at_k").fields().forEachRemaining(e -> {
      if (e.getValue().isNumber()) {
        values.put("pass@" + e.getKey(), e.getValue().asDouble());
      }
    });
    if (m.path("ms_per_token").isNumber()) {
      values.put(GatedMetric.MS_PER_TOKEN, m.get("ms_per_token").asDouble());
    }
    if (m.path("peak_memory_bytes").isNumber()) {
      values.put(GatedMetric.PEAK_MEMORY_BYTES, m.get("peak_memory_bytes").asDouble());
    }
    return new BaselineReport(file.toString(), digest, values);
  }
}
