package io.m31r.release.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.model.training.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One checkpoint of an upstream M31R training run, {@code experiments/<run>/checkpoints/step_N/},
 * located and read once: its {@code model.pt} (by name only: the optimizer and RNG state beside it
 * are pickles too, and the upstream packager's "first {@code *.pt}" picked whichever came first),
 * its {@code metadata.json} (step, seed, config snapshot) and the run's tokenizer.
 *
 * @param runDir the run folder
 * @param stepDir the checkpoint folder chosen
 * @param step the checkpoint's global step, as its folder and metadata.json both say
 * @param seed the run's seed
 * @param configSnapshot the config the run trained with
 * @param tokenizer the run's tokenizer.json
 */
public record UpstreamRun(Path runDir, Path stepDir, int step, long seed, JsonNode configSnapshot, Path tokenizer) {
  private static final Pattern STEP = Pattern.compile("step_0*(\\d+)");
  public static final String WEIGHTS = "model.pt";

  public Path weights() {
    return stepDir.resolve(WEIGHTS);
  }

  /**
   * Reads the run at {@code runDir}; {@code step} picks a checkpoint, else the highest step. The
   * tokenizer is {@code train.tokenizer_directory} of the snapshot, relative to the upstream project
   * root ({@code runDir/../..}, where the trainer ran), unless {@code tokenizerOverride} is given.
   */
  public static UpstreamRun open(Path runDir, OptionalInt step, Path tokenizerOverride) {
    Path checkpoints = runDir.resolve("checkpoints");
    if (!Files.isDirectory(checkpoints)) {
      throw new BadInputException("upstream run " + runDir + ": no checkpoints/ folder; expected experiments/<run>/checkpoints/step_N/");
    }
    TreeMap<Integer, Path> steps = steps(checkpoints);
    if (steps.isEmpty()) {
      throw new BadInputException("upstream run " + runDir + ": no step_N folder under checkpoints/");
    }
    Path stepDir;
    if (step.isPresent()) {
      stepDir = steps.get(step.getAsInt());
      if (stepDir == null) {
        throw new BadInputException("upstream run " + runDir + ": no checkpoint for --step " + step.getAsInt() + "; steps present: " + steps.keySet());
      }
    } else {
      stepDir = steps.lastEntry().getValue();
    }
    int n = stepNumber(stepDir);
    if (!Files.isRegularFile(stepDir.resolve(WEIGHTS))) {
      throw new BadInputException(stepDir + ": no " + WEIGHTS + " (optimizer.pt and rng_state.pt are never taken for the weights)");
    }
    JsonNode meta = json(stepDir.resolve("metadata.json"));
    int recordedStep = integer(meta, "global_step", stepDir);
    if (recordedStep != n) {
      throw new BadInputException(stepDir + "/metadata.json: global_step " + recordedStep + " does not match the folder's step " + n);
    }
    long seed = integer(meta, "seed", stepDir);
    JsonNode snapshot = meta.get("config_snapshot");
    if (snapshot == null || !snapshot.isObject() || !snapshot.path("model").isObject()) {
      throw new BadInputException(stepDir + "/metadata.json: config_snapshot with a model section is missing");
    }
    JsonNode snapSeed = snapshot.path("global").path("seed");
    if (!snapSeed.isIntegralNumber() || snapSeed.longValue() != seed) {
      throw new BadInputException(stepDir + "/metadata.json: seed " + seed + " differs from config_snapshot.global.seed " + snapSeed);
    }
    return new UpstreamRun(runDir, stepDir, n, seed, snapshot, tokenizer(runDir, snapshot, tokenizerOverride));
  }

  private static Path tokenizer(Path runDir, JsonNode snapshot, Path override) {
    if (override != null) {
      if (!Files.isRegularFile(override)) {
        throw new BadInputException("--tokenizer " + override + ": no such file");
      }
      return override;
    }
    String dir = snapshot.path("train").path("tokenizer_directory").asText("");
    if (dir.isBlank()) {
      throw new BadInputException("upstream run " + runDir + ": config_snapshot.train.tokenizer_directory is empty; pass --tokenizer FILE");
    }
    Path root = runDir.toAbsolutePath().normalize().getParent();
    List<Path> tried = new ArrayList<>();
    for (Path base : root == null ? List.of(runDir) : List.of(root.getParent() == null ? root : root.getParent(), runDir)) {
      Path candidate = base.resolve(dir).resolve(TrainingConfig.TOKENIZER_FILE).normalize();
      tried.add(candidate);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new BadInputException("upstream run " + runDir + ": the run's tokenizer is not at " + tried + "; pass --tokenizer FILE");
  }

  private static TreeMap<Integer, Path> steps(Path checkpoints) {
    TreeMap<Integer, Path> out = new TreeMap<>();
    try (Stream<Path> list = Files.list(checkpoints)) {
      list.filter(Files::isDirectory).forEach(p -> {
        Matcher m = STEP.matcher(p.getFileName().toString());
        if (m.matches()) {
          out.put(Integer.parseInt(m.group(1)), p);
        }
      });
    } catch (IOException e) {
      throw new InfrastructureException("cannot list " + checkpoints + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static int stepNumber(Path stepDir) {
    Matcher m = STEP.matcher(stepDir.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalStateException(stepDir.toString());
    }
    return Integer.parseInt(m.group(1));
  }

  private static JsonNode json(Path file) {
    try {
      return CanonicalJson.mapper().readTree(Files.readString(file));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new BadInputException(file + ": missing (step, seed and config snapshot come from it)", e);
    } catch (JsonProcessingException e) {
      throw new BadInputException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static int integer(JsonNode meta, String key, Path stepDir) {
    JsonNode v = meta.get(key);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new BadInputException(stepDir + "/metadata.json: " + key + " must be an integer");
    }
    return v.intValue();
  }
}
