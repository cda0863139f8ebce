package io.m31r.release.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.testing.GitCli;
import io.m31r.release.version.Semver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitWorkspaceTest {
  @TempDir Path tmp;

  @Test
  void openRefusesADirectoryOutsideAnyRepository() {
    BadInputException e = assertThrows(BadInputException.class, () -> GitWorkspace.open(tmp));
    assertEquals("not a git repository: " + tmp, e.getMessage());
    assertThrows(BadInputException.class, () -> GitWorkspace.open(tmp.resolve("missing")));
  }

  @Test
  void headOfARepositoryWithoutCommitsIsBadInput() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp); GitWorkspace ws = GitWorkspace.open(tmp)) {
      BadInputException e = assertThrows(BadInputException.class, ws::head);
      assertTrue(e.getMessage().contains("has no commit yet"), e.getMessage());
    }
  }

  @Test
  void headNamesCommitTimeAndBranchAsGitDoes() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      repo.write("a.txt", "a\n").commitAll("first");
      RevCommit second = repo.write("b.txt", "b\n").commitAll("second");
      Files.createDirectories(tmp.resolve("sub/dir"));
      try (GitWorkspace ws = GitWorkspace.open(tmp.resolve("sub/dir"))) {
        GitHead head = ws.head();
        assertEquals(GitCli.run(tmp, "rev-parse", "HEAD").strip(), head.commit());
        assertEquals(second.name(), head.commit());
        assertEquals(TestRepo.T0.plusSeconds(60), head.commitTime());
        assertEquals("main", head.branch());
        assertEquals(tmp.toRealPath(), ws.workTree().toRealPath());
      }
      repo.git.checkout().setName(second.name()).call();
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        assertEquals("HEAD", ws.head().branch());
        assertEquals(second.name(), ws.head().commit());
      }
    }
  }

  @Test
  void cleanTreeWithIgnoredFilesPasses() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      repo.write(".gitignore", "checkpoints/\n*.log\n").write("src/a.rs", "fn a() {}\n").commitAll("init");
      repo.write("checkpoints/step_100.bin", "weights").write("train.log", "loss 1.0\n");
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        ws.requireClean();
      }
      assertEquals("", GitCli.run(tmp, "status", "--porcelain"));
    }
  }

  @Test
  void modifiedStagedDeletedAndUntrackedFilesBlockAndAgreeWithGitStatus() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      repo.write(".gitignore", "*.log\n")
          .write("modified.rs", "1\n")
          .write("staged.rs", "1\n")
          .write("deleted.rs", "1\n")
          .commitAll("init");
      repo.write("modified.rs", "2\n").write("staged.rs", "2\n").write("new/untracked.rs", "x\n").write("ignored.log", "x\n");
      repo.git.add().addFilepattern("staged.rs").call();
      Files.delete(tmp.resolve("deleted.rs"));
      String statusBefore = GitCli.run(tmp, "status", "--porcelain", "--untracked-files=all");
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        GateFailedException e = assertThrows(GateFailedException.class, ws::requireClean);
        assertEquals(
            "git work tree " + tmp + " is not clean (4 uncommitted or untracked): "
                + "D deleted.rs, M modified.rs, ?? new/untracked.rs, M staged.rs",
            e.getMessage());
      }
      List<String> gitPaths = Arrays.stream(statusBefore.split("\n")).map(l -> l.substring(3)).sorted().toList();
      assertEquals(List.of("deleted.rs", "modified.rs", "new/untracked.rs", "staged.rs"), gitPaths);
      assertEquals(statusBefore, GitCli.run(tmp, "status", "--porcelain", "--untracked-files=all"), "nothing changed");
    }
  }

  @Test
  void onlyAnUntrackedFileStillBlocks() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      repo.write("a.rs", "a\n").commitAll("init");
      repo.write("notes.txt", "n\n");
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        GateFailedException e = assertThrows(GateFailedException.class, ws::requireClean);
        assertTrue(e.getMessage().endsWith("(1 uncommitted or untracked): ?? notes.txt"), e.getMessage());
      }
    }
  }

  @Test
  void longListsAreCutAfterTwentyEntries() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      repo.write("a.rs", "a\n").commitAll("init");
      for (int i = 0; i < 25; i++) {
        repo.write(String.format("scratch/f%02d.txt", i), "x");
      }
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        GateFailedException e = assertThrows(GateFailedException.class, ws::requireClean);
        assertTrue(e.getMessage().contains("(25 uncommitted or untracked): ?? scratch/f00.txt,"), e.getMessage());
        assertTrue(e.getMessage().endsWith("?? scratch/f19.txt, and 5 more"), e.getMessage());
        assertFalse(e.getMessage().contains("f20"), e.getMessage());
      }
    }
  }

  @Test
  void tagTargetPeelsAnnotatedAndLightweightTags() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      RevCommit c = repo.write("a.rs", "a\n").commitAll("init");
      repo.annotatedTag("v0.1.0", c);
      repo.lightweightTag("light", c);
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        assertTrue(ws.tagExists("v0.1.0"));
        assertEquals(Optional.of(c.name()), ws.tagTarget("v0.1.0"));
        assertEquals(Optional.of(c.name()), ws.tagTarget("light"));
        assertFalse(ws.tagExists("v0.2.0"));
        assertEquals(Optional.empty(), ws.tagTarget("v0.2.0"));
        assertThrows(BadInputException.class, () -> ws.tagExists("bad name"));
        assertThrows(BadInputException.class, () -> ws.tagTarget("a..b"));
      }
    }
  }

  @Test
  void previousReleaseTagIsTheNewestLowerSemverTagOnTheHistoryOfHead() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      RevCommit c1 = repo.write("a.rs", "1\n").commitAll("c1");
      RevCommit c2 = repo.write("a.rs", "2\n").commitAll("c2");
      repo.git.branchCreate().setName("side").call();
      repo.git.checkout().setName("side").call();
      RevCommit side = repo.write("side.rs", "s\n").commitAll("side work");
      repo.git.checkout().setName("main").call();
      RevCommit c3 = repo.write("a.rs", "3\n").commitAll("c3");
      repo.annotatedTag("v0.1.0", c1);
      repo.lightweightTag("v0.2.0-rc.1", c2);
      repo.annotatedTag("v0.2.0", side);
      repo.annotatedTag("v0.2", c3);
      repo.lightweightTag("release-0.2.5", c3);
      repo.annotatedTag("v0.2.1+build", c3);
      repo.annotatedTag("v9.0.0", c3);
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        assertEquals(Optional.of("v0.2.0-rc.1"), ws.previousReleaseTag(Semver.parse("0.3.0")));
        assertEquals(Optional.of("v0.2.0-rc.1"), ws.previousReleaseTag(Semver.parse("9.0.0")));
        assertEquals(Optional.of("v9.0.0"), ws.previousReleaseTag(Semver.parse("10.0.0")));
        assertEquals(Optional.of("v0.1.0"), ws.previousReleaseTag(Semver.parse("0.2.0-rc.1")));
        assertEquals(Optional.empty(), ws.previousReleaseTag(Semver.parse("0.1.0")));
        assertThrows(BadInputException.class, () -> ws.previousReleaseTag(Semver.parse("1.0")));
      }
      repo.git.checkout().setName("side").call();
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        assertEquals(Optional.of("v0.2.0"), ws.previousReleaseTag(Semver.parse("0.3.0")));
      }
    }
  }
}
