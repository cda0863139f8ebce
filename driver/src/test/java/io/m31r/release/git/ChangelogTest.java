package io.m31r.release.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.version.Semver;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangelogTest {
  @TempDir Path tmp;

  private static String a(RevCommit c) {
    return c.name().substring(0, 7);
  }

  @Test
  void sortsCommitsSinceThePreviousTagIntoSections() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      RevCommit base = repo.write("a.rs", "0\n").commitAll("chore: initial layout");
      repo.annotatedTag("v0.1.0", base);
      RevCommit feat = repo.write("a.rs", "1\n").commitAll("feat(tokenizer): byte-level BPE trainer");
      RevCommit fix = repo.write("a.rs", "2\n").commitAll("fix: off-by-one in the shard index\n\nDetails.");
      RevCommit bang = repo.write("a.rs", "3\n").commitAll("feat!: drop the v1 config format");
      repo.git.branchCreate().setName("topic").call();
      repo.git.checkout().setName("topic").call();
      RevCommit footer = repo.write("b.rs", "4\n")
          .commitAll("refactor(io): one reader for all stores\n\nBREAKING CHANGE: readers take a URI");
      repo.git.checkout().setName("main").call();
      RevCommit chore = repo.write("c.rs", "5\n").commitAll("chore(ci): pin the maven wrapper");
      repo.git.merge().include(footer).setMessage("Merge branch 'topic'").setCommit(false).call();
      repo.commit("Merge branch 'topic'");
      RevCommit plain = repo.write("README.md", "r\n").commitAll("Update the README");
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        Changelog log = Changelog.since(ws, Semver.parse("0.2.0"), List.of("pass@1 0.31 -> 0.35", "compile rate 0.80 -> 0.86"));
        assertFalse(log.isEmpty());
        assertEquals(Optional.of("v0.1.0"), log.previousTag());
        log.requireNotEmpty();
        String expected = String.join("\n",
            "v0.2.0",
            "",
            "Changes since v0.1.0: 6 commits.",
            "",
            "Breaking changes",
            "- feat: drop the v1 config format (" + a(bang) + ")",
            "- refactor: **io**: one reader for all stores (" + a(footer) + ")",
            "  BREAKING CHANGE: readers take a URI",
            "",
            "Features",
            "- **tokenizer**: byte-level BPE trainer (" + a(feat) + ")",
            "",
            "Fixes",
            "- off-by-one in the shard index (" + a(fix) + ")",
            "",
            "Other changes",
            "- chore: **ci**: pin the maven wrapper (" + a(chore) + ")",
            "- Update the README (" + a(plain) + ")",
            "",
            "Metric changes",
            "- pass@1 0.31 -> 0.35",
            "- compile rate 0.80 -> 0.86",
            "");
        String rendered = log.render();
        assertEquals(expected, rendered);
        assertEquals(rendered, Changelog.since(ws, Semver.parse("0.2.0"), List.of("pass@1 0.31 -> 0.35", "compile rate 0.80 -> 0.86")).render());
      }
    }
  }

  @Test
  void aFirstReleaseListsEveryCommitAndEmptySectionsSayNone() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      RevCommit c = repo.write("a.rs", "0\n").commitAll("feat: first model");
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        Changelog log = Changelog.since(ws, Semver.parse("0.1.0"), List.of());
        assertEquals(String.join("\n",
            "v0.1.0", "", "First release: 1 commit.", "",
            "Breaking changes", "- none", "",
            "Features", "- first model (" + a(c) + ")", "",
            "Fixes", "- none", "",
            "Other changes", "- none", "",
            "Metric changes", "- none", ""), log.render());
      }
    }
  }

  @Test
  void noCommitSinceThePreviousTagIsAnEmptyChangelog() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      RevCommit c = repo.write("a.rs", "0\n").commitAll("feat: first model");
      repo.annotatedTag("v0.1.0", c);
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        Changelog log = Changelog.since(ws, Semver.parse("0.1.1"), List.of());
        assertTrue(log.isEmpty());
        GateFailedException e = assertThrows(GateFailedException.class, log::requireNotEmpty);
        assertEquals("empty changelog: no commits since v0.1.0", e.getMessage());
      }
    }
  }

  @Test
  void refusesBadVersionsAndMultiLineMetricChanges() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      repo.write("a.rs", "0\n").commitAll("feat: first model");
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        assertThrows(BadInputException.class, () -> Changelog.since(ws, Semver.parse("v0.1.0"), List.of()));
        BadInputException e = assertThrows(BadInputException.class, () -> Changelog.since(ws, Semver.parse("0.1.0"), List.of("ok", "two\nlines")));
        assertTrue(e.getMessage().startsWith("changelog metric change #2"), e.getMessage());
        assertThrows(BadInputException.class, () -> Changelog.since(ws, Semver.parse("0.1.0"), List.of(" ")));
      }
    }
  }
}
