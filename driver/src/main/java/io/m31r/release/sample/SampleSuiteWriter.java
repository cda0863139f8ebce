package io.m31r.release.sample;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Derives a benchmark suite in the M31R directory format from the sample corpus: one completion
 * task per function, whose prompt stops where the body begins, whose reference solution is the
 * function itself and whose tests check its behaviour. So its oracle run must score 100%, and a
 * model trained on the corpus can solve it by recalling the bodies.
 */
public final class SampleSuiteWriter {
  static final String CATEGORY = "completion";

  private final long seed;

  public SampleSuiteWriter(long seed) {
    this.seed = seed;
  }

  /** Writes the suite into {@code dir}, which must not exist yet. Returns the number of tasks. */
  public int write(Path dir) {
    if (Files.exists(dir)) {
      throw new BadInputException("sample output " + dir + " already exists");
    }
    List<RustCorpus.Function> corpus = RustCorpus.generate(seed);
    try {
      for (int i = 0; i < corpus.size(); i++) {
        RustCorpus.Function f = corpus.get(i);
        String id = String.format("task_%03d", i + 1);
        Path task = Files.createDirectories(dir.resolve(CATEGORY).resolve(id));
        Files.writeString(task.resolve("prompt.rs"), f.signature());
        Files.writeString(task.resolve("solution.rs"), f.source() + "\nfn main() {}\n");
        Files.writeString(task.resolve("tests.rs"), tests(f));
        Files.writeString(task.resolve("Cargo.toml"),
            "[package]\nname = \"" + CATEGORY + "_" + id + "\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        Files.writeString(task.resolve("metadata.yaml"),
            "difficulty: easy\ncategory: " + CATEGORY + "\ntags: [sample, " + f.name() + "]\nexpected_runtime: 5\n");
      }
      return corpus.size();
    } catch (IOException e) {
      throw new InfrastructureException("cannot write the sample suite to " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String tests(RustCorpus.Function f) {
    StringBuilder out = new StringBuilder("#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn behaves() {\n");
    for (String check : f.checks()) {
      out.append("        ").append(check).append('\n');
    }
    return out.append("    }\n}\n").toString();
  }
}
