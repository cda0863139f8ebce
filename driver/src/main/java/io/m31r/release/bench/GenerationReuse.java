package io.m31r.release.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.reuse.ReuseArea;
import io.m31r.release.suite.BenchSuite;
import io.m31r.release.suite.BenchTask;
import io.m31r.release.tasks.bench.GeneratedSample;
import io.m31r.release.tasks.bench.GenerationSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A model's generated samples kept in the {@link ReuseArea}: generation is the benchmark's costly
 * half (hours of GPU time for a real model), judging the other. What is reused is only what the
 * model produced (completions and their timings); every sample is judged again, so a verdict is
 * never taken from the entry. The key is every input generation depends on.
 */
final class GenerationReuse {
  static final String KIND = "generation";

  /** The samples as generation returned them, and how long it took. */
  record Generated(List<GeneratedSample> samples, double seconds) {}

  private final ReuseArea area;
  private final Map<String, Object> inputs;
  private final String modelSha256;

  GenerationReuse(ReuseArea area, ModelBundle verified, String suiteDigest, GenerationSettings g) {
    this(area, verified.modelSha256(), verified.tokenizerSha256(), verified.configSha256(), suiteDigest, g);
  }

  GenerationReuse(ReuseArea area, String modelSha256, String tokenizerSha256, String configSha256, String suiteDigest,
      GenerationSettings g) {
    this.area = area;
    this.modelSha256 = modelSha256;
    Map<String, Object> in = new TreeMap<>();
    in.put("model_sha256", modelSha256);
    in.put("tokenizer_sha256", tokenizerSha256);
    in.put("config_sha256", configSha256);
    in.put("suite_digest", suiteDigest);
    in.put("samples_per_task", g.samplesPerTask());
    in.put("temperature", g.temperature());
    in.put("top_k", g.topK());
    in.put("top_p", g.topP());
    in.put("seed", g.seed());
    in.put("max_new_tokens", g.maxNewTokens());
    in.put("device", g.device());
    this.inputs = in;
  }

  /**
   * The kept samples of this very generation, if an entry verifies and holds exactly one sample
   * per task and index of this suite, all from this model; otherwise empty, saying why.
   */
  Optional<Generated> find(BenchSuite suite, int samplesPerTask, Consumer<String> whyNot) {
    Optional<JsonNode> payload = area.find(KIND, inputs, whyNot);
    if (payload.isEmpty()) {
      return Optional.empty();
    }
    List<GeneratedSample> samples = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode s : payload.get().path("samples")) {
      GeneratedSample g;
      try {
        g = CanonicalJson.mapper().treeToValue(s, GeneratedSample.class);
      } catch (JsonProcessingException | IllegalArgumentException e) {
        whyNot.accept("the kept generation has a sample that does not read: " + e.getMessage().lines().findFirst().orElse(""));
        return Optional.empty();
      }
      if (!modelSha256.equals(g.modelSha256()) || g.completion() == null || !seen.add(g.taskId() + "#" + g.index())) {
        whyNot.accept("the kept generation has a sample of another model, without text, or twice: " + g.taskId() + "#" + g.index());
        return Optional.empty();
      }
      samples.add(g);
    }
    Set<String> expected = new HashSet<>();
    for (BenchTask t : suite.tasks()) {
      for (int i = 0; i < samplesPerTask; i++) {
        expected.add(t.id() + "#" + i);
      }
    }
    if (!expected.equals(seen)) {
      whyNot.accept("the kept generation does not hold exactly the " + expected.size() + " samples of this suite");
      return Optional.empty();
    }
    return Optional.of(new Generated(samples, payload.get().path("seconds").asDouble()));
  }

  void keep(List<GeneratedSample> samples, double seconds) {
    area.keep(KIND, inputs, Map.of("samples", samples, "seconds", seconds));
  }
}
