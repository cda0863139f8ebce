package io.m31r.release.init;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.model.config.InvalidModelConfigException;
import io.m31r.release.model.config.ModelConfigReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What {@code m31r init} finds in a repository, by content rather than by name alone: a folder with
 * a {@code model.safetensors}, a {@code tokenizer.json}, a YAML file with {@code model:} and
 * {@code train:} sections, a folder of dataset shards, a benchmark suite in the M31R layout
 * ({@code <category>/task_NNN/prompt.rs}) or MultiPL-E JSONL, and how the project runs its tests.
 * The shallowest match wins, names break ties; build output, VCS and hidden folders are skipped.
 */
record WorkspaceScan(
    Optional<Path> checkpoint, Optional<Path> tokenizer, Optional<Path> trainingConfig, Optional<Path> dataset,
    Optional<Path> suite, Optional<List<String>> testCommand, String testCommandSource, Optional<String> smokePrompt) {

  private static final int MAX_DEPTH = 4;
  private static final Set<String> SKIPPED = Set.of("target", "build", "node_modules", "__pycache__", "venv");
  private static final Pattern SHARD = Pattern.compile("(?i).*\\.(json|jsonl|bin|parquet|txt|arrow)$");
  private static final Pattern TASK = Pattern.compile("task_\\d+");

  static WorkspaceScan of(Path dir) {
    List<Path> dirs = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    walk(dir, dirs, files);
    Optional<Path> checkpoint = first(dirs.stream().filter(d -> Files.isRegularFile(d.resolve(ReleaseFiles.MODEL))), dir);
    Optional<Path> suite = first(dirs.stream().filter(WorkspaceScan::isM31rSuite), dir)
        .or(() -> first(files.stream().filter(WorkspaceScan::isMultiplE), dir));
    List<Path> exclude = new ArrayList<>();
    checkpoint.ifPresent(exclude::add);
    suite.ifPresent(exclude::add);
    Optional<Path> tokenizer = first(files.stream()
        .filter(f -> f.getFileName().toString().equals(ReleaseFiles.TOKENIZER)).filter(f -> outside(f, exclude)), dir);
    Optional<Path> config = first(files.stream()
        .filter(f -> f.getFileName().toString().matches(".*\\.ya?ml"))
        .filter(f -> !f.getFileName().toString().equals("release.yaml"))
        .filter(f -> outside(f, exclude)).filter(WorkspaceScan::isTrainingConfig), dir);
    Optional<Path> dataset = first(dirs.stream().filter(d -> outside(d, exclude)).filter(d -> !d.equals(dir))
        .filter(WorkspaceScan::isDataset), dir);
    TestCommand test = TestCommand.detect(dir, suite.map(s -> rel(dir, s)));
    return new WorkspaceScan(checkpoint, tokenizer, config, dataset, suite, test.command(), test.source(),
        suite.flatMap(WorkspaceScan::smokePrompt));
  }

  /** The folder names of a data set, or a manifest, with shard files directly inside. */
  private static boolean isDataset(Path d) {
    String name = d.getFileName().toString().toLowerCase(Locale.ROOT);
    if (Files.isRegularFile(d.resolve("manifest.json"))) {
      return true;
    }
    if (!Set.of("dataset", "datasets", "data", "shards").contains(name)) {
      return false;
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.anyMatch(f -> Files.isRegularFile(f) && SHARD.matcher(f.getFileName().toString()).matches());
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isM31rSuite(Path d) {
    try (Stream<Path> categories = Files.list(d)) {
      return categories.filter(Files::isDirectory).anyMatch(c -> {
        try (Stream<Path> tasks = Files.list(c)) {
          return tasks.anyMatch(t -> TASK.matcher(t.getFileName().toString()).matches() && Files.isRegularFile(t.resolve("prompt.rs")));
        } catch (IOException e) {
          return false;
        }
      });
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isMultiplE(Path f) {
    if (!f.getFileName().toString().endsWith(".jsonl")) {
      return false;
    }
    try (Stream<String> lines = Files.lines(f, StandardCharsets.UTF_8)) {
      String first = lines.findFirst().orElse("");
      return first.contains("\"prompt\"") && first.contains("\"tests\"");
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  private static boolean isTrainingConfig(Path f) {
    try {
      var root = ModelConfigReader.readTree(Files.readString(f, StandardCharsets.UTF_8), f.getFileName().toString());
      return root != null && root.path("model").isObject() && root.path("train").isObject();
    } catch (IOException | InvalidModelConfigException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  /** The first line of the suite's first prompt that opens a function: a model of the suite's kind completes it. */
  private static Optional<String> smokePrompt(Path suite) {
    if (!Files.isDirectory(suite)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.walk(suite, 3)) {
      for (Path p : s.filter(f -> f.getFileName().toString().equals("prompt.rs")).sorted().toList()) {
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
          if (line.startsWith("fn ") && line.strip().endsWith("{")) {
            return Optional.of(line.strip());
          }
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static boolean outside(Path p, List<Path> exclude) {
    return exclude.stream().noneMatch(p::startsWith);
  }

  private static Optional<Path> first(Stream<Path> candidates, Path root) {
    return candidates.min(Comparator.<Path>comparingInt(p -> root.relativize(p).getNameCount()).thenComparing(Path::toString));
  }

  static String rel(Path base, Path p) {
    String r = base.relativize(p).toString().replace(java.io.File.separatorChar, '/');
    return r.isEmpty() ? "." : r;
  }

  private static void walk(Path root, List<Path> dirs, List<Path> files) {
    try (Stream<Path> s = Files.walk(root, MAX_DEPTH)) {
      s.filter(p -> root.relativize(p).toString().isEmpty() || !skipped(root.relativize(p))).forEach(p -> {
        if (Files.isDirectory(p)) {
          dirs.add(p);
        } else if (Files.isRegularFile(p)) {
          files.add(p);
        }
      });
    } catch (IOException e) {
      throw new InfrastructureException("cannot list " + root + ": " + e.getMessage(), e);
    }
  }

  private static boolean skipped(Path relative) {
    for (Path part : relative) {
      String n = part.toString();
      if (n.startsWith(".") || SKIPPED.contains(n)) {
        return true;
      }
    }
    return false;
  }
}
