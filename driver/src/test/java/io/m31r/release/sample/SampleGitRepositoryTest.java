package io.m31r.release.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.git.GitWorkspace;
import io.m31r.release.testing.GitCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleGitRepositoryTest {
  private static final PersonIdent AUTHOR = new PersonIdent("M31R Sample", "sample@m31r.invalid");
  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path tmp;

  private static final List<CommitSpec> HISTORY = List.of(
      new CommitSpec("chore: workspace layout", List.of("configs/train.yaml", ".gitignore"), T),
      new CommitSpec("feat(data): sample corpus\n\nSixty functions.", List.of("data"), T.plusSeconds(3600)),
      new CommitSpec("feat: training script", List.of("scripts/train.sh"), T.plusSeconds(7200)));

  private static Path workspace(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("configs"));
    Files.writeString(dir.resolve("configs/train.yaml"), "seed: 42\n");
    Files.writeString(dir.resolve(".gitignore"), "checkpoints/\n");
    Files.createDirectories(dir.resolve("data/shards"));
    Files.writeString(dir.resolve("data/corpus.rs"), "fn a() {}\n");
    Files.writeString(dir.resolve("data/shards/00.txt"), "tokens\n");
    Files.createDirectories(dir.resolve("scripts"));
    Files.writeString(dir.resolve("scripts/train.sh"), "#!/bin/sh\necho train\n");
    Files.setPosixFilePermissions(dir.resolve("scripts/train.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(dir.resolve("checkpoints"));
    Files.writeString(dir.resolve("checkpoints/ignored.bin"), "w");
    return dir;
  }

  @Test
  void theSameFilesAndSpecsGiveTheSameCommitIds() throws Exception {
    Path one = workspace(tmp.resolve("one"));
    Path two = workspace(tmp.resolve("two"));
    Files.setLastModifiedTime(two.resolve("data/corpus.rs"), java.nio.file.attribute.FileTime.from(T));
    String headOne = SampleGitRepository.create(one, HISTORY, AUTHOR);
    String headTwo = SampleGitRepository.create(two, HISTORY, AUTHOR);
    assertEquals(headOne, headTwo);
    assertEquals(headOne + "\n", GitCli.run(one, "rev-parse", "HEAD"));
    assertEquals("refs/heads/main\n", GitCli.run(one, "symbolic-ref", "HEAD"));
    assertEquals(
        "feat: training script\nfeat(data): sample corpus\nchore: workspace layout\n",
        GitCli.run(one, "log", "--format=%s"));
    assertEquals(
        ".gitignore\nconfigs/train.yaml\ndata/corpus.rs\ndata/shards/00.txt\nscripts/train.sh\n",
        GitCli.run(one, "ls-tree", "-r", "--name-only", "HEAD"));
    assertTrue(GitCli.run(one, "ls-tree", "HEAD", "scripts/train.sh").startsWith("100755 blob "));
    assertEquals(".gitignore\nconfigs/train.yaml\n", GitCli.run(one, "ls-tree", "-r", "--name-only", "HEAD~2"));
    assertEquals("M31R Sample <sample@m31r.invalid> 1772366400 +0000|M31R Sample <sample@m31r.invalid> 1772366400 +0000\n",
        GitCli.run(one, "log", "-1", "--format=%an <%ae> %ad|%cn <%ce> %cd", "--date=raw", "HEAD~2"));
    assertEquals("false\n", GitCli.run(one, "config", "--local", "commit.gpgsign"));
    assertEquals("false\n", GitCli.run(one, "config", "--local", "tag.gpgsign"));
    assertEquals("", GitCli.run(one, "status", "--porcelain"));
    GitCli.run(one, "fsck", "--strict");
    try (GitWorkspace ws = GitWorkspace.open(one)) {
      ws.requireClean();
      assertEquals("main", ws.head().branch());
      assertEquals(T.plusSeconds(7200), ws.head().commitTime());
    }

    Path three = workspace(tmp.resolve("three"));
    Files.writeString(three.resolve("data/corpus.rs"), "fn b() {}\n");
    assertNotEquals(headOne, SampleGitRepository.create(three, HISTORY, AUTHOR));
  }

  @Test
  void refusesBadSpecsBeforeCreatingTheRepository() throws Exception {
    Path ws = workspace(tmp.resolve("ws"));
    BadInputException missing = assertThrows(BadInputException.class, () -> SampleGitRepository.create(ws,
        List.of(new CommitSpec("a", List.of("configs"), T), new CommitSpec("b", List.of("nope.txt"), T)), AUTHOR));
    assertEquals("sample commit #2: nope.txt does not exist in " + ws, missing.getMessage());
    BadInputException nothingNew = assertThrows(BadInputException.class, () -> SampleGitRepository.create(ws,
        List.of(new CommitSpec("a", List.of("data"), T), new CommitSpec("b", List.of("data/corpus.rs"), T)), AUTHOR));
    assertTrue(nothingNew.getMessage().startsWith("sample commit #2: its paths [data/corpus.rs] add no file"), nothingNew.getMessage());
    assertThrows(BadInputException.class, () -> SampleGitRepository.create(ws,
        List.of(new CommitSpec("a", List.of("data"), T), new CommitSpec("b", List.of("configs"), T.minusSeconds(1))), AUTHOR));
    assertThrows(BadInputException.class, () -> SampleGitRepository.create(ws, List.of(), AUTHOR));
    assertThrows(BadInputException.class, () -> SampleGitRepository.create(ws, HISTORY, null));
    assertThrows(BadInputException.class, () -> SampleGitRepository.create(tmp.resolve("absent"), HISTORY, AUTHOR));
    Files.createSymbolicLink(ws.resolve("data/link.rs"), ws.resolve("data/corpus.rs"));
    assertThrows(BadInputException.class, () -> SampleGitRepository.create(ws, HISTORY, AUTHOR));
    assertFalse(Files.exists(ws.resolve(".git")), "nothing written");

    Files.delete(ws.resolve("data/link.rs"));
    SampleGitRepository.create(ws, HISTORY, AUTHOR);
    BadInputException again = assertThrows(BadInputException.class, () -> SampleGitRepository.create(ws, HISTORY, AUTHOR));
    assertEquals("sample git repository: " + ws + " already has a .git", again.getMessage());
  }

  @Test
  void specsRefusePathsOutsideTheWorkspace() {
    for (String bad : List.of("/etc/passwd", "../x", "a/../b", "./a", ".git/config", "")) {
      assertThrows(IllegalArgumentException.class, () -> new CommitSpec("m", List.of(bad), T), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> new CommitSpec(" ", List.of("a"), T));
    assertThrows(IllegalArgumentException.class, () -> new CommitSpec("m", List.of(), T));
  }
}
