package io.m31r.release.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.packaging.InvalidReleaseMetadataException;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.reuse.ReuseArea;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A rebuild's verdict kept in the {@link ReuseArea}: retraining is the costliest step of an export
 * (up to 6 hours), and a rerun after a late failure with the same candidate, frozen inputs and
 * command would retrain to the same bytes. Only an identical rebuild is kept (any other verdict
 * ended the export), keyed by everything the rebuild read.
 */
final class RebuildReuse {
  static final String KIND = "rebuild";

  private final ReuseArea area;
  private final Map<String, Object> inputs;
  private final String candidateSha256;

  RebuildReuse(ReuseArea area, ReleaseSettings s, FrozenArtifacts frozen) {
    this.area = area;
    this.candidateSha256 = frozen.modelSha256();
    Map<String, Object> in = new TreeMap<>();
    in.put("command", s.rebuildCommand());
    in.put("rebuild_on", s.rebuildOn());
    in.put("model_sha256", frozen.modelSha256());
    in.put("tokenizer_sha256", frozen.tokenizerSha256());
    in.put("training_config_sha256", frozen.configSha256());
    in.put("dataset_root_sha256", frozen.dataset().rootSha256());
    in.put("training_seed", frozen.trainingSeed());
    this.inputs = in;
  }

  /** The kept verdict for exactly these inputs: an identical rebuild of this candidate, or empty saying why not. */
  Optional<ReleaseMetadata.Rebuild> find(Consumer<String> whyNot) {
    Optional<JsonNode> p = area.find(KIND, inputs, whyNot);
    if (p.isEmpty()) {
      return Optional.empty();
    }
    JsonNode v = p.get();
    if (!candidateSha256.equals(v.path("model_hash").asText())) {
      whyNot.accept("the kept rebuild verdict is for model " + v.path("model_hash").asText());
      return Optional.empty();
    }
    try {
      ReleaseMetadata.Rebuild r = switch (v.path("kind").asText()) {
        case "local" -> ReleaseMetadata.Rebuild.local(v.path("command").asText(), candidateSha256);
        case "executor" -> ReleaseMetadata.Rebuild.onExecutor(v.path("command").asText(), candidateSha256, v.path("device").asText());
        default -> null;
      };
      if (r == null) {
        whyNot.accept("the kept rebuild verdict has kind '" + v.path("kind").asText() + "'");
      }
      return Optional.ofNullable(r);
    } catch (InvalidReleaseMetadataException e) {
      whyNot.accept("the kept rebuild verdict is not valid: " + e.getMessage());
      return Optional.empty();
    }
  }

  void keep(ReleaseMetadata.Rebuild r) {
    Map<String, Object> payload = new TreeMap<>();
    payload.put("kind", r.kind().word());
    payload.put("command", r.command());
    payload.put("model_hash", r.modelHash());
    payload.put("device", r.device());
    area.keep(KIND, inputs, payload);
  }
}
