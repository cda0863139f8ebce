package io.m31r.release.model.training;

import com.fasterxml.jackson.core.type.TypeReference;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.json.CanonicalJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The side file a training writes beside its model ({@code model.safetensors} gets
 * {@code model.training.json}): the run's shape and losses,
 * and a digest of every weight tensor every {@value #INTERVAL} steps and after the last, so that
 * two trainings that end in other bytes can be told apart by the first step and tensor where they
 * part. It is diagnostics only: not in the model file, not in a release, never trusted for a verdict.
 *
 * @param checkpoints digests in step order; each maps tensor name to the first 16 hex digits of the
 *     SHA-256 of its little-endian float32 values, in parameter order
 */
public record TrainingRecord(int steps, long parameters, long corpusTokens, int threads, List<Float> losses, List<Checkpoint> checkpoints) {
  public static final String SUFFIX = ".training.json";
  public static final int INTERVAL = 10;

  public TrainingRecord {
    losses = List.copyOf(losses);
    checkpoints = List.copyOf(checkpoints);
  }

  /** One recorded step: tensors as (name, digest) in parameter order. */
  public record Checkpoint(int step, List<Tensor> tensors) {
    public Checkpoint {
      tensors = List.copyOf(tensors);
    }
  }

  public record Tensor(String name, String sha256) {}

  /** Whether the digests are taken after 1-based {@code step} of {@code steps}. */
  static boolean recorded(int step, int steps) {
    return step % INTERVAL == 0 || step == steps;
  }

  static String digest(float[] values) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(buf.array())).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The side file of the model file {@code model}: its name without the extension, then {@value #SUFFIX}. */
  public static Path beside(Path model) {
    String name = model.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return model.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + SUFFIX);
  }

  public TrainingResult result() {
    return new TrainingResult(steps, parameters, corpusTokens, threads, losses);
  }

  void write(Path file) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("steps", steps);
    json.put("parameters", parameters);
    json.put("corpus_tokens", corpusTokens);
    json.put("threads", threads);
    json.put("losses", losses);
    List<Map<String, Object>> cps = new ArrayList<>();
    for (Checkpoint c : checkpoints) {
      List<List<String>> tensors = c.tensors().stream().map(t -> List.of(t.name(), t.sha256())).toList();
      cps.add(Map.of("step", c.step(), "tensors", tensors));
    }
    json.put("checkpoints", cps);
    try {
      Files.write(file, CanonicalJson.bytes(json));
    } catch (IOException e) {
      throw new InfrastructureException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a side file; empty when absent or not one (it is diagnostics, never a reason to fail). */
  public static Optional<TrainingRecord> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Map<String, Object> json = CanonicalJson.mapper().readValue(file.toFile(), new TypeReference<Map<String, Object>>() {});
      List<Checkpoint> cps = new ArrayList<>();
      for (Object o : (List<?>) json.get("checkpoints")) {
        Map<?, ?> c = (Map<?, ?>) o;
        List<Tensor> tensors = new ArrayList<>();
        for (Object t : (List<?>) c.get("tensors")) {
          List<?> pair = (List<?>) t;
          tensors.add(new Tensor((String) pair.get(0), (String) pair.get(1)));
        }
        cps.add(new Checkpoint(((Number) c.get("step")).intValue(), tensors));
      }
      List<Float> losses = ((List<?>) json.get("losses")).stream().map(n -> ((Number) n).floatValue()).toList();
      return Optional.of(new TrainingRecord(
          ((Number) json.get("steps")).intValue(), ((Number) json.get("parameters")).longValue(),
          ((Number) json.get("corpus_tokens")).longValue(), ((Number) json.get("threads")).intValue(), losses, cps));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Where two trainings part: "diverged at step 40: layers.3.attention.wq" for the first recorded
   * step with a differing tensor (the first such tensor in parameter order), or why it cannot say.
   */
  public static String divergence(Optional<TrainingRecord> expected, Optional<TrainingRecord> actual) {
    if (expected.isEmpty() || actual.isEmpty()) {
      return "where they diverged is unknown: " + (expected.isEmpty() ? "the original" : "the rebuild")
          + " has no readable training record (*" + SUFFIX + ")";
    }
    Map<Integer, Checkpoint> theirs = new LinkedHashMap<>();
    actual.get().checkpoints().forEach(c -> theirs.put(c.step(), c));
    for (Checkpoint mine : expected.get().checkpoints()) {
      Checkpoint other = theirs.get(mine.step());
      if (other == null) {
        continue;
      }
      Map<String, String> otherDigests = new LinkedHashMap<>();
      other.tensors().forEach(t -> otherDigests.put(t.name(), t.sha256()));
      for (Tensor t : mine.tensors()) {
        if (!t.sha256().equals(otherDigests.get(t.name()))) {
          return "diverged at step " + mine.step() + ": " + t.name();
        }
      }
    }
    return "no recorded step differs (the trainings part after step "
        + expected.get().checkpoints().stream().mapToInt(Checkpoint::step).max().orElse(0)
        + " or outside the weights: metadata, file layout)";
  }
}
