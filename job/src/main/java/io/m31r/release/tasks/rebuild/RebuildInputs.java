package io.m31r.release.tasks.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.model.bundle.FileDigests;
import io.m31r.release.model.config.ModelConfigReader;
import io.m31r.release.model.training.DatasetDigest;
import io.m31r.release.model.training.TrainingConfig;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a rebuild on an executor needs, read from the training config: the config itself, the
 * {@code tokenizer.json} in its {@code train.tokenizer_directory} and every file of its
 * {@code train.dataset_directory}, as paths relative to one folder that holds all three. They are
 * shipped with that layout, so the config's own relative paths hold on the executor and its bytes
 * (and digest, which the model records) stay the same.
 *
 * @param base the local folder every name is relative to
 * @param config the training config, relative to base
 * @param tokenizer the tokenizer.json, relative to base
 * @param dataset the dataset directory, relative to base
 * @param files every file to ship, relative to base, '/'-separated
 */
public record RebuildInputs(Path base, String config, String tokenizer, String dataset, List<String> files) {
  public RebuildInputs {
    files = List.copyOf(files);
  }

  /** The digests the shipped copies must have: the frozen ones, checked again on the executor. */
  public record Expected(String configSha256, String tokenizerSha256, String datasetRootSha256) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  public static RebuildInputs of(Path trainingConfig) {
    Path config = trainingConfig.toAbsolutePath().normalize();
    String text;
    try {
      text = Files.readString(config, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BadInputException("training config " + config + " cannot be read: " + e.getMessage());
    }
    JsonNode train = ModelConfigReader.readTree(text, config.toString()).path("train");
    Path folder = config.getParent();
    Path dataset = relativeDir(config, train, "dataset_directory");
    Path tokenizer = relativeDir(config, train, "tokenizer_directory").resolve(TrainingConfig.TOKENIZER_FILE).normalize();
    if (!Files.isRegularFile(tokenizer)) {
      throw new BadInputException("training config " + config + " train.tokenizer_directory: no " + TrainingConfig.TOKENIZER_FILE + " at " + tokenizer);
    }
    Path base = common(common(folder, dataset), tokenizer.getParent());
    List<String> files = new ArrayList<>();
    files.add(name(base, config));
    files.add(name(base, tokenizer));
    for (String f : DatasetDigest.files(dataset)) {
      String n = name(base, dataset.resolve(f));
      if (!files.contains(n)) {
        files.add(n);
      }
    }
    return new RebuildInputs(base, name(base, config), name(base, tokenizer), name(base, dataset), files);
  }

  /**
   * The first of config, tokenizer and dataset whose bytes differ from what export froze, said in
   * one line, or empty. A rebuild from other inputs would give a verdict about something else.
   */
  public java.util.Optional<String> differenceFrom(Expected expected) {
    List<String[]> checks = List.of(
        new String[] {config + " (the training config)", FileDigests.sha256(base.resolve(config)), expected.configSha256(), "config_hash"},
        new String[] {tokenizer + " (train.tokenizer_directory)", FileDigests.sha256(base.resolve(tokenizer)), expected.tokenizerSha256(),
            "the frozen tokenizer"},
        new String[] {dataset + " (train.dataset_directory)", DatasetDigest.rootSha256(base.resolve(dataset)),
            expected.datasetRootSha256(), "the frozen dataset (release.dataset)"});
    for (String[] c : checks) {
      if (!c[1].equals(c[2])) {
        return java.util.Optional.of(c[0] + " has sha256 " + c[1] + ", not " + c[3] + " " + c[2]);
      }
    }
    return java.util.Optional.empty();
  }

  public long bytes() {
    long total = 0;
    for (String f : files) {
      try {
        total += Files.size(base.resolve(f));
      } catch (IOException e) {
        throw new InfrastructureException("cannot read " + base.resolve(f) + ": " + e.getMessage(), e);
      }
    }
    return total;
  }

  private static Path relativeDir(Path config, JsonNode train, String key) {
    JsonNode v = train.get(key);
    if (v == null || !v.isTextual() || v.textValue().isBlank()) {
      throw new BadInputException("training config " + config + ": release.rebuild_on executor needs train." + key
          + " (what to ship to the executor)");
    }
    String s = v.textValue();
    if (s.contains("://") || Path.of(s).isAbsolute()) {
      throw new BadInputException("training config " + config + " train." + key + ": '" + s
          + "' is not relative to the config; release.rebuild_on executor ships inputs only by their place beside the config");
    }
    return config.getParent().resolve(s).normalize();
  }

  private static Path common(Path a, Path b) {
    Path p = a;
    while (!b.startsWith(p)) {
      p = p.getParent();
    }
    return p;
  }

  private static String name(Path base, Path file) {
    return base.relativize(file).toString().replace('\\', '/');
  }
}
