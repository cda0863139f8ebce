package io.m31r.release.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.model.config.ModelConfigReader;
import io.m31r.release.model.training.TrainingConfigReader;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The run's config snapshot in this project's config.yaml format: the same unified layout, keeping
 * only {@code global} (version, name, seed), {@code model} and {@code train}. The runtime section
 * (a server's host and port, local paths) and null sections say nothing about the model and are
 * dropped. The result is read back with the strict readers, so a snapshot this project could not
 * load is refused here, at import, naming the key.
 */
final class UpstreamConfigMapping {
  private static final List<String> GLOBAL_KEYS = List.of("config_version", "project_name", "seed");

  private UpstreamConfigMapping() {}

  static String toYaml(UpstreamRun run) {
    JsonNode snap = run.configSnapshot();
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode global = root.putObject("global");
    for (String k : GLOBAL_KEYS) {
      if (snap.path("global").has(k)) {
        global.set(k, snap.path("global").get(k));
      }
    }
    root.set("model", snap.get("model").deepCopy());
    JsonNode train = snap.path("train");
    if (train.isObject()) {
      ObjectNode t = root.putObject("train");
      for (Iterator<Map.Entry<String, JsonNode>> it = train.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          t.set(e.getKey(), e.getValue());
        }
      }
    }
    String header = "# Mapped by m31r import-upstream from the config_snapshot of " + run.runDir().getFileName()
        + "/checkpoints/" + run.stepDir().getFileName() + "/metadata.json (the config the run trained with).\n"
        + "# Kept: global (version, name, seed), model, train. Dropped: runtime and null sections.\n";
    String yaml;
    try {
      yaml = header + mapper().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    String file = run.stepDir().getFileName() + "/metadata.json config_snapshot";
    ModelConfigReader.parse(yaml, file);
    if (root.has("train")) {
      TrainingConfigReader.parse(yaml, file);
    } else {
      throw new BadInputException(file + ": no train section; the release records the training config");
    }
    return yaml;
  }

  // A writer, so not StrictMappers: these generator settings fix the imported config.yaml's bytes,
  // which are hashed into the release; toYaml reads the result back with the strict readers.
  private static YAMLMapper mapper() {
    return new YAMLMapper(YAMLFactory.builder()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .disable(YAMLGenerator.Feature.SPLIT_LINES)
        .build());
  }
}
