package io.m31r.release.packaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.BindingProblem;
import io.m31r.release.formats.StrictMappers;
import io.m31r.release.json.CanonicalJson;
import java.io.IOException;
import java.util.List;

/**
 * {@code metadata.json} bytes to and from {@link ReleaseMetadata}, whose annotations are the
 * schema. Writing goes through {@link CanonicalJson}, so one record has one byte form. Reading is
 * strict: a release is immutable, so any key this build does not know, or lacks, or a value of
 * another type, means the file is not one it wrote; every failure is an {@link IntegrityException}
 * naming the file and the key.
 *
 * <p>Two rules are the format's and not a record's, so they live here: {@code dataset_version}
 * repeats {@code dataset.root_sha256}, and the rebuild kind keys are all present or all absent
 * (metadata written before rebuild kinds existed has none of them, and keeps its bytes).
 */
public final class ReleaseMetadataCodec {

  private static final ObjectMapper BINDING = StrictMappers.jsonBinding();
  private static final List<String> REBUILD_KIND = List.of("device", "key_hint", "kind", "record_sha256");

  public byte[] write(ReleaseMetadata m) {
    ObjectNode root = CanonicalJson.mapper().valueToTree(m);
    if (m.rebuild().kind() == null) {
      ((ObjectNode) root.get("rebuild")).remove(REBUILD_KIND);
    }
    return CanonicalJson.bytes(root);
  }

  public ReleaseMetadata read(byte[] bytes, String sourceName) {
    JsonNode root;
    try {
      root = CanonicalJson.mapper().readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new IntegrityException(sourceName + " is not valid JSON: " + oneLine(e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new IntegrityException(sourceName + " cannot be parsed: " + oneLine(e.getMessage()), e);
    }
    if (root == null || !root.isObject()) {
      throw new IntegrityException(sourceName + ": the top level must be a JSON object");
    }
    JsonNode rebuild = root.get("rebuild");
    if (rebuild != null && rebuild.isObject()) {
      boolean kinds = rebuild.has("kind");
      for (String key : REBUILD_KIND) {
        if (rebuild.has(key) != kinds) {
          throw kinds ? new IntegrityException(sourceName + ": missing key rebuild." + key)
              : new IntegrityException(sourceName + ": key rebuild." + key + " without rebuild.kind");
        }
      }
    }
    ReleaseMetadata m;
    try {
      m = BINDING.treeToValue(root, ReleaseMetadata.class);
    } catch (JsonProcessingException e) {
      throw refused(sourceName, e);
    }
    JsonNode datasetVersion = root.get("dataset_version");
    if (datasetVersion == null) {
      throw new IntegrityException(sourceName + ": missing key dataset_version");
    }
    if (!datasetVersion.isTextual() || !datasetVersion.textValue().equals(m.datasetVersion())) {
      throw new IntegrityException(sourceName + ": key dataset_version must equal dataset.root_sha256 "
          + m.datasetVersion() + ", got " + datasetVersion);
    }
    return m;
  }

  private static IntegrityException refused(String source, JsonProcessingException e) {
    BindingProblem p = BindingProblem.of(e);
    String what =
        switch (p.kind()) {
          case UNKNOWN_KEY -> "unknown key " + p.path();
          case MISSING_KEY -> "missing key " + p.path();
          case WRONG_TYPE -> "key " + p.path() + " must be " + p.expectedJsonName();
          case REFUSED -> p.refusal() instanceof InvalidReleaseMetadataException invalid
              ? invalid.getMessage()
              : "key " + p.path() + ": " + oneLine(p.refusal().getMessage());
          case OTHER -> (p.path().isEmpty() ? "" : "key " + p.path() + ": ") + oneLine(p.detail());
        };
    return new IntegrityException(source + ": " + what, e);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ");
  }
}
