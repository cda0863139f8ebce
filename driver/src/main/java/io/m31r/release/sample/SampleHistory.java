package io.m31r.release.sample;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The sample workspace's git history: a {@code .gitignore} that keeps the large, hash-frozen
 * artifacts (dataset, checkpoint) out of git, and a short run of conventional commits over
 * everything else, so that export's clean-tree check, marker scan and changelog have a real
 * repository to read.
 *
 * <p>Commit times start at {@code SOURCE_DATE_EPOCH} when set (the reproducible-builds
 * convention), else at {@link #DEFAULT_START}, one minute apart: the same seed gives the same
 * commit ids. The test report's timings are measurements and differ between runs, so its commit
 * comes last and is the only one whose id varies.
 */
public final class SampleHistory {
  public static final String GITIGNORE = ".gitignore";
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");
  public static final PersonIdent AUTHOR = new PersonIdent("M31R Sample", "sample@m31r.invalid");

  /** Message subject and paths of each commit, in order. */
  static final List<Map.Entry<String, List<String>>> COMMITS = List.of(
      Map.entry("docs: describe the sample workspace", List.of(SampleReadme.FILE, GITIGNORE)),
      Map.entry("feat(tokenizer): byte-level BPE tokenizer trained on the sample corpus", List.of(SampleWorkspace.TOKENIZER)),
      Map.entry("feat(bench): completion suite derived from the corpus", List.of(SampleWorkspace.SUITE)),
      Map.entry("feat(train): training config of the sample model", List.of(SampleWorkspace.TRAINING_CONFIG)),
      Map.entry("build(release): release configuration for m31r export", List.of(SampleReleaseConfig.FILE)),
      Map.entry("test: JUnit report of the corpus tests", List.of("reports")));

  private SampleHistory() {}

  /** Writes {@code workspace/.gitignore}; the paths are anchored so that a nested folder of the same name stays tracked. */
  public static void writeGitignore(Path workspace) {
    Path file = workspace.resolve(GITIGNORE);
    if (Files.exists(file)) {
      throw new BadInputException("sample " + file + " already exists");
    }
    try {
      Files.writeString(file, "/" + SampleWorkspace.DATASET + "/\n/" + SampleWorkspace.CHECKPOINT + "/\n");
    } catch (IOException e) {
      throw new InfrastructureException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The first commit's time: {@code SOURCE_DATE_EPOCH} (seconds) from {@code env} if set, else {@link #DEFAULT_START}. */
  public static Instant start(Map<String, String> env) {
    String epoch = env.get("SOURCE_DATE_EPOCH");
    if (epoch == null || epoch.isBlank()) {
      return DEFAULT_START;
    }
    try {
      long seconds = Long.parseLong(epoch.trim());
      if (seconds < 0) {
        throw new NumberFormatException("negative");
      }
      return Instant.ofEpochSecond(seconds);
    } catch (NumberFormatException e) {
      throw new BadInputException("SOURCE_DATE_EPOCH='" + epoch + "' is not a non-negative number of seconds");
    }
  }

  static List<CommitSpec> commits(Instant start) {
    List<CommitSpec> out = new ArrayList<>();
    for (int i = 0; i < COMMITS.size(); i++) {
      out.add(new CommitSpec(COMMITS.get(i).getKey(), COMMITS.get(i).getValue(), start.plusSeconds(60L * i)));
    }
    return out;
  }

  /** Initialises the repository in {@code workspace} and commits its history; returns HEAD's id. */
  public static String create(Path workspace, Instant start) {
    return SampleGitRepository.create(workspace, commits(start), AUTHOR);
  }
}
